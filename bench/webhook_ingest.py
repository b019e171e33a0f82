#!/usr/bin/env python3
"""Does a slow webhook receiver slow ingestion? (docs/webhooks.md §6: it must not.)

One run, two servers on fresh data dirs, the same load from bench/load_generator:
  baseline  an action on `$pageview` (half the generated events) with post_to_slack off;
  webhooks  the same action with post_to_slack on, the project's slack_incoming_webhook
            pointing at a receiver that sleeps --receiver-sleep seconds (default 10) per request.
Prints both ingest rates (events/s acknowledged) and their ratio; exits 1 when the webhooks
run is below --min-ratio (default 0.9) of the baseline.

  python3 bench/webhook_ingest.py --build build [--duration 20] [--connections 4]
"""

import argparse
import http.client
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


class SlowReceiver:
    def __init__(self, sleep_s):
        received = self.received = [0]
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(sleep_s)
                with lock:
                    received[0] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port, key, method, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, json.dumps(body),
                 {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status >= 300:
        raise RuntimeError("%s %s: %d %s" % (method, path, r.status, data[:200]))
    return json.loads(data)


def run(args, webhook_url):
    work = tempfile.mkdtemp(prefix="actiond-whbench-")
    port = free_port()
    key, token = "phx_bench_" + os.urandom(16).hex(), "phc_bench_" + os.urandom(8).hex()
    env = dict(os.environ, ACTIOND_PERSONAL_API_KEY=key, ACTIOND_PROJECT_TOKEN=token)
    log = open(os.path.join(work, "server.log"), "wb")
    server = subprocess.Popen([os.path.join(args.build, "actiond"), "--listen", "127.0.0.1:%d" % port,
                               "--data-dir", os.path.join(work, "data")],
                              env=env, stdout=log, stderr=log)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        if webhook_url:
            api(port, key, "PATCH", "/api/projects/1/", {"slack_incoming_webhook": webhook_url})
        api(port, key, "POST", "/api/projects/1/actions/",
            {"name": "Pageview", "post_to_slack": bool(webhook_url), "steps": [{"event": "$pageview"}]})
        out = subprocess.run([os.path.join(args.build, "load_generator"), "--target", "127.0.0.1:%d" % port,
                              "--token", token, "--connections", str(args.connections),
                              "--duration", str(args.duration), "--gzip", "--server-pid", str(server.pid)],
                             capture_output=True, text=True, timeout=args.duration + 120)
        rate = re.search(r"throughput\s+([0-9.]+) events/s", out.stdout)
        cpu = re.search(r"cpu\s+(.*)", out.stdout)
        if not rate:
            raise RuntimeError("load_generator: %s %s" % (out.stdout, out.stderr))
        pending = None
        if webhook_url:
            page = json.loads(subprocess.run(
                ["curl", "-s", "-H", "Authorization: Bearer " + key,
                 "http://127.0.0.1:%d/api/projects/1/webhook_deliveries/?status=pending&limit=1" % port],
                capture_output=True, text=True).stdout or "{}")
            pending = page.get("dropped_total")
        return float(rate.group(1)), cpu.group(1) if cpu else "", pending
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--receiver-sleep", type=float, default=10)
    parser.add_argument("--min-ratio", type=float, default=0.9)
    args = parser.parse_args()

    receiver = SlowReceiver(args.receiver_sleep)
    try:
        base, base_cpu, _ = run(args, None)
        hooked, hooked_cpu, dropped = run(
            args, "http://127.0.0.1:%d/services/hooks.slack.com/bench" % receiver.port)
    finally:
        receiver.stop()
    ratio = hooked / base
    print("machine: nproc %d, load average %s" % (os.cpu_count(), open("/proc/loadavg").read().split()[:3]))
    print("baseline (post_to_slack off):          %8.0f events/s   cpu %s" % (base, base_cpu))
    print("webhooks (receiver sleeps %4.1f s/req): %8.0f events/s   cpu %s" % (args.receiver_sleep, hooked, hooked_cpu))
    print("ratio webhooks/baseline: %.3f (must be >= %.2f); deliveries dropped at the outbox bound: %s; "
          "receiver answered %d" % (ratio, args.min_ratio, dropped, receiver.received[0]))
    return 0 if ratio >= args.min_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
