"""Start, stop and talk to a real actiond for black-box tests (Python 3 standard library only).

Each test module calls `main()`, which takes `--bin PATH` (the actiond executable; default: the
ACTIOND_BIN environment variable) off the command line and runs unittest with the rest. A test
class starts its own server with `Server(...).start()` on 127.0.0.1 with a free port and a fresh
temporary data dir, and stops it in tearDownClass. Every wait is bounded.

Under the sanitizers (tools/sanitize.sh) a server's AddressSanitizer, LeakSanitizer or UBSan
report goes to its stderr, which no test reads: `main()` scans every server's stderr logs once
the tests have run and fails the module (exit 1, reports printed) when any holds one.
"""

import base64
import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid as uuidlib

BIN = os.environ.get("ACTIOND_BIN", "")
PERSONAL_KEY = "phx_blackbox_" + uuidlib.uuid4().hex
PROJECT_TOKEN = "phc_blackbox_" + uuidlib.uuid4().hex

# The first line of every sanitizer report (a leak at exit, a memory error, undefined behaviour).
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "ERROR: UndefinedBehaviorSanitizer")
_servers = []           # every Server made, scanned by main() after the tests
_sanitizer_reports = []  # (log path, report text) found so far

REQUEST_TIMEOUT = 30.0
START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fixtures_dir():
    """The SDK captures: $ACTIOND_FIXTURES, else the repository's copy in tests/golden/sdk-captures."""
    override = os.environ.get("ACTIOND_FIXTURES")
    if override:
        return override
    return os.path.join(repo_root(), "tests", "golden", "sdk-captures")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Real clients and the browser (tools/test.sh installs them): posthog-node, posthog-js and
# playwright-core in tests/client, Debian's chromium.
CLIENT_DIR = os.path.join(repo_root(), "tests", "client")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def require_tool(condition, what):
    """Fails under CI, skips elsewhere, when a tool a test needs is missing."""
    if condition:
        return
    if os.environ.get("CI"):
        raise AssertionError("%s is required in CI" % what)
    raise unittest.SkipTest("%s not installed" % what)


def npm_ci(directory, marker):
    """Installs `directory`'s locked npm packages unless `marker` is already installed."""
    require_tool(shutil.which("npm") is not None and shutil.which("node") is not None, "node/npm")
    if not os.path.exists(os.path.join(directory, "node_modules", marker)):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=directory, check=True, timeout=600)


def require_chromium():
    require_tool(os.path.exists(CHROMIUM), "chromium (tools/install-deps.sh --with-browser)")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "Response(%d, %r)" % (self.status, self.body[:300])


class Server:
    """One actiond process. `data_dir` None makes (and later removes) a temporary one."""

    def __init__(self, data_dir=None, env=None, args=(), project_token=PROJECT_TOKEN,
                 personal_key=PERSONAL_KEY):
        if not BIN:
            raise RuntimeError("no actiond binary: pass --bin PATH or set ACTIOND_BIN")
        self.own_dir = data_dir is None
        self.root = tempfile.mkdtemp(prefix="actiond-bb-")
        self.data_dir = data_dir or os.path.join(self.root, "data")
        self.env = dict(os.environ)
        for name in ("ACTIOND_PERSONAL_API_KEY", "ACTIOND_PROJECT_TOKEN", "ACTIOND_ADMIN_EMAIL"):
            self.env.pop(name, None)
        if project_token:
            self.env["ACTIOND_PROJECT_TOKEN"] = project_token
        if personal_key:
            self.env["ACTIOND_PERSONAL_API_KEY"] = personal_key
        self.env.update(env or {})
        self.args = list(args)
        self.project_token = project_token
        self.personal_key = personal_key
        self.proc = None
        self.port = None
        self.starts = 0
        self.scanned = set()
        _servers.append(self)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, timeout=START_TIMEOUT):
        last_error = None
        for _ in range(3):  # a port taken between free_port() and bind: try another
            self.port = free_port()
            self.starts += 1
            self.stdout_path = os.path.join(self.root, "stdout.%d.log" % self.starts)
            self.stderr_path = os.path.join(self.root, "stderr.%d.log" % self.starts)
            with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
                self.proc = subprocess.Popen(
                    [BIN, "--listen", "127.0.0.1:%d" % self.port, "--data-dir", self.data_dir,
                     "--threads", "2"] + self.args,
                    env=self.env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
            try:
                self.wait_healthy(timeout)
                return self
            except RuntimeError as e:
                last_error = e
                self.kill()
                if "Address already in use" not in self.stderr():
                    break
        raise RuntimeError("actiond did not start: %s\n--- stderr ---\n%s" %
                           (last_error, self.stderr()[-4000:]))

    def wait_healthy(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("exited with %d" % self.proc.returncode)
            try:
                r = self.request("GET", "/_health", timeout=2)
                if r.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("no healthy answer within %.0f s" % timeout)

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, then wait; returns the exit code (SIGKILL and None after `timeout`)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def cleanup(self):
        self.stop()
        self.scan_sanitizer_reports()
        shutil.rmtree(self.root, ignore_errors=True)

    def scan_sanitizer_reports(self):
        """Records the sanitizer reports in this server's stderr logs (each log once)."""
        for n in range(1, self.starts + 1):
            path = os.path.join(self.root, "stderr.%d.log" % n)
            if path in self.scanned or not os.path.exists(path):
                continue
            if self.proc is not None and self.proc.poll() is None and n == self.starts:
                continue  # still running: scanned at cleanup or at exit
            self.scanned.add(path)
            text = _read(path)
            for marker in SANITIZER_MARKERS:
                at = text.find(marker)
                if at >= 0:
                    start = text.rfind("\n", 0, max(at - 200, 0)) + 1
                    _sanitizer_reports.append((path, text[start:start + 6000]))
                    break

    def stdout(self):
        return _read(self.stdout_path)

    def stderr(self):
        return _read(self.stderr_path)

    # --- requests --------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT):
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def api(self, method, path, body=None, key=None, headers=None):
        """A REST call with the personal key (or `key`); a dict/list body is sent as JSON."""
        h = {"Authorization": "Bearer %s" % (key or self.personal_key)}
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        return self.request(method, path, body=body, headers=h)

    def capture(self, events, path="/batch/", token=None, compress=False, headers=None,
                timeout=REQUEST_TIMEOUT):
        """POSTs {"api_key", "batch"} (gzip with Content-Encoding when `compress`)."""
        payload = {"api_key": token or self.project_token, "batch": events}
        body = json.dumps(payload).encode("utf-8")
        h = {"Content-Type": "application/json"}
        if compress:
            body = gzip.compress(body)
            h["Content-Encoding"] = "gzip"
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h, timeout=timeout)

    def send_raw(self, data, timeout=REQUEST_TIMEOUT):
        """Sends `data` as is on a new connection and reads one response."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            sock.sendall(data)
            r = http.client.HTTPResponse(sock)
            r.begin()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            sock.close()

    def events(self, project=1, **params):
        """Every event the events API lists for `params`, following `next` links."""
        params.setdefault("limit", 1000)
        path = "/api/projects/%s/events/?%s" % (project, urllib.parse.urlencode(params))
        out = []
        for _ in range(100000):
            r = self.api("GET", path)
            if r.status != 200:
                raise AssertionError("events API: %r" % r)
            page = r.json()
            out.extend(page["results"])
            if not page["next"]:
                return out
            u = urllib.parse.urlsplit(page["next"])
            path = u.path + "?" + u.query
        raise AssertionError("too many pages")


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def event(name="e", distinct_id="d", **fields):
    """One capture event with a fresh uuid."""
    e = {"event": name, "distinct_id": distinct_id, "uuid": str(uuidlib.uuid4()),
         "properties": {}}
    e.update(fields)
    return e


def b64(data):
    return base64.b64encode(data).decode("ascii")


def main():
    global BIN
    argv = [sys.argv[0]]
    args = sys.argv[1:]
    i = 0
    while i < len(args):
        if args[i] == "--bin" and i + 1 < len(args):
            BIN = args[i + 1]
            i += 2
            continue
        if args[i].startswith("--bin="):
            BIN = args[i][len("--bin="):]
            i += 1
            continue
        argv.append(args[i])
        i += 1
    if not BIN or not os.path.exists(BIN):
        sys.stderr.write("actiond binary not found: pass --bin PATH (got %r)\n" % BIN)
        sys.exit(2)
    program = unittest.main(argv=argv, verbosity=2, exit=False)
    for s in _servers:  # servers a test left running: stop them so that leaks are reported
        if os.path.isdir(s.root):
            s.stop()
            s.scan_sanitizer_reports()
    for path, report in _sanitizer_reports:
        sys.stderr.write("\n==== sanitizer report in %s ====\n%s\n" % (path, report))
    if _sanitizer_reports:
        sys.stderr.write("FAILED: %d sanitizer report(s) from actiond\n" % len(_sanitizer_reports))
        sys.exit(1)
    sys.exit(0 if program.result.wasSuccessful() else 1)
