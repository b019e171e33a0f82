"""A webhook receiver for black-box tests: an HTTP or HTTPS server on 127.0.0.1 that records
every request (path, headers, JSON body) and answers as the test says (a status, a delay,
Retry-After). `TestCa` makes a private CA and a certificate for 127.0.0.1 with the `openssl`
command, for HTTPS receivers that actiond trusts only through --webhook-ca-file.

Python 3 standard library only; every wait is bounded."""

import http.server
import json
import os
import ssl
import subprocess
import tempfile
import threading
import time

from server import free_port  # noqa: F401  (tests take it from here with the receiver)


class Received:
    def __init__(self, path, headers, body):
        self.path = path
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.raw = body
        try:
            self.body = json.loads(body.decode("utf-8"))
        except ValueError:
            self.body = None

    @property
    def key(self):
        return self.headers.get("idempotency-key")

    def __repr__(self):
        return "Received(%s, %s, %r)" % (self.path, self.key, self.raw[:200])


class Receiver:
    """Records requests; `status`, `delay` and `retry_after` say how to answer (changeable)."""

    def __init__(self, port=0, tls=None):
        self.status = 200
        self.delay = 0.0
        self.retry_after = None
        self.requests = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.tls = tls
        self.port = port
        self.httpd = None
        self.thread = None

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # the header and body go out as two writes

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                with receiver.lock:
                    status, delay, retry_after = receiver.status, receiver.delay, receiver.retry_after
                if delay:
                    time.sleep(delay)
                with receiver.changed:
                    receiver.requests.append(Received(self.path, self.headers, body))
                    receiver.changed.notify_all()
                self.send_response(status)
                if retry_after is not None:
                    self.send_header("Retry-After", str(retry_after))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", self.port), Handler)
        self.port = self.httpd.server_address[1]
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls.cert, self.tls.key)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def url(self, path="/"):
        return "%s://127.0.0.1:%d%s" % ("https" if self.tls else "http", self.port, path)

    def received(self):
        with self.lock:
            return list(self.requests)

    def wait_for(self, count, timeout=20.0):
        """Waits until `count` requests arrived; returns them (fewer after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return list(self.requests)


class TestCa:
    """A private CA (ca.pem) and a server certificate for 127.0.0.1 and localhost signed by it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="actiond-ca-")
        self.ca = os.path.join(self.dir, "ca.pem")
        self.cert = os.path.join(self.dir, "server.pem")
        self.key = os.path.join(self.dir, "server.key")
        ca_key = os.path.join(self.dir, "ca.key")
        csr = os.path.join(self.dir, "server.csr")
        ext = os.path.join(self.dir, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                    "extendedKeyUsage=serverAuth\n")

        def run(*args):
            subprocess.run(["openssl"] + list(args), check=True, capture_output=True, timeout=60)

        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", self.ca,
            "-days", "2", "-subj", "/CN=actiond test CA")
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", self.key, "-out", csr,
            "-subj", "/CN=127.0.0.1")
        run("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", self.cert, "-days", "2", "-extfile", ext)
