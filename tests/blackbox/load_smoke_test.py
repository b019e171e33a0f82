"""Smoke test of bench/load_generator: a short closed-loop run against a real actiond.

Keeps the end-to-end load generator working: it must send posthog-node-style gzip batches the
server accepts, acknowledge exactly what the server stores (checked twice: by the generator's
own --verify-url count, and here by listing every stored uuid), refuse non-loopback targets, and
fail on HTTP errors. Also keeps bench/ingest_ceiling honest: from a --keep-wal server's data
dir it must read back and replay exactly the events the server acknowledged.

    python3 tests/blackbox/load_smoke_test.py --bin build/actiond --loadgen build/load_generator \
        --ceiling build/ingest_ceiling
"""

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import server

LOADGEN = os.environ.get("ACTIOND_LOADGEN_BIN", "")
CEILING = os.environ.get("ACTIOND_CEILING_BIN", "")
RUN_TIMEOUT = 120


def run_loadgen(*args, timeout=RUN_TIMEOUT):
    return subprocess.run([LOADGEN, "--quiet"] + list(args), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


class LoadSmokeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()
        cls.tmp = tempfile.mkdtemp(prefix="actiond-load-")

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def target(self):
        return "127.0.0.1:%d" % self.srv.port

    def test_short_run_stores_exactly_the_acknowledged_events(self):
        ack_path = os.path.join(self.tmp, "acked.txt")
        report_path = os.path.join(self.tmp, "report.json")
        before = {e["uuid"] for e in self.srv.events(limit=10000)}
        r = run_loadgen("--target", self.target(), "--token", self.srv.project_token,
                        "--connections", "8", "--duration", "3", "--batch-size", "50",
                        "--distinct-ids", "500",
                        "--verify-url", "http://" + self.target(), "--key", self.srv.personal_key,
                        "--ack-file", ack_path, "--report-json", report_path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("verify            ok:", r.stdout)
        with open(report_path) as f:
            report = json.load(f)
        self.assertEqual(report["http_errors"], 0)
        self.assertEqual(report["io_errors"], 0)
        self.assertGreater(report["events_acked"], 0)
        self.assertEqual(report["events_acked"], report["events_sent"])
        self.assertEqual(report["stored"], report["events_acked"])

        with open(ack_path) as f:
            acked = [line.strip() for line in f if line.strip()]
        self.assertEqual(len(acked), report["events_acked"])
        self.assertEqual(len(set(acked)), len(acked), "uuids repeat across events")

        stored = [e["uuid"] for e in self.srv.events(limit=10000) if e["uuid"] not in before]
        dups = [u for u, n in collections.Counter(stored).items() if n > 1]
        self.assertEqual(dups, [], "events stored twice")
        self.assertEqual(set(stored), set(acked))

    def test_events_look_like_posthog_node(self):
        r = run_loadgen("--target", self.target(), "--token", self.srv.project_token,
                        "--connections", "2", "--batches", "4", "--batch-size", "25")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        page = self.srv.api("GET", "/api/projects/1/events/?limit=100")
        self.assertEqual(page.status, 200, page)
        events = page.json()["results"]
        self.assertGreaterEqual(len(events), 100)
        names = collections.Counter(e["event"] for e in events)
        self.assertIn("$pageview", names)
        for e in events:
            props = e["properties"]
            self.assertEqual(props["$lib"], "posthog-node")
            self.assertTrue(e["distinct_id"].startswith("user-"))
            self.assertGreaterEqual(len(props), 10, props)
            if e["event"] == "$pageview":
                self.assertTrue(props["$current_url"].startswith("https://shop.example.com/"))

    def test_http_errors_fail_the_run(self):
        r = run_loadgen("--target", self.target(), "--token", "phc_not_a_project_token",
                        "--connections", "2", "--batches", "3")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("HTTP 401", r.stdout)
        self.assertIn("0 acknowledged", r.stdout)

    def test_prebuilt_batches_spread_over_projects_are_verified_per_project(self):
        report_path = os.path.join(self.tmp, "projects.json")
        r = run_loadgen("--target", self.target(), "--token", self.srv.project_token,
                        "--connections", "3", "--batches", "9", "--prebuild", "9",
                        "--batch-size", "20", "--projects", "3",
                        "--verify-url", "http://" + self.target(), "--key", self.srv.personal_key,
                        "--report-json", report_path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("prebuilt          9 batches", r.stdout)
        self.assertEqual(r.stdout.count("verify            ok:"), 3, r.stdout)
        with open(report_path) as f:
            report = json.load(f)
        self.assertEqual(report["events_acked"], 180)
        self.assertEqual(report["stored"], 180)
        projects = self.srv.api("GET", "/api/projects/").json()["results"]
        made = [p for p in projects if p["name"].startswith("load_generator ")]
        self.assertGreaterEqual(len(made), 2)
        for project in made[-2:]:
            events = self.srv.events(project=project["id"], limit=100)
            self.assertGreater(len(events), 0, project)

    def test_projects_need_a_key(self):
        r = run_loadgen("--target", self.target(), "--token", self.srv.project_token,
                        "--batches", "1", "--projects", "2", timeout=10)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--projects needs --key", r.stderr)

    def test_ingest_ceiling_replays_exactly_what_the_server_stored(self):
        srv = server.Server(args=["--keep-wal"]).start()
        try:
            report_path = os.path.join(self.tmp, "ceiling-load.json")
            r = run_loadgen("--target", "127.0.0.1:%d" % srv.port, "--token", srv.project_token,
                            "--connections", "2", "--batches", "12", "--batch-size", "50",
                            "--report-json", report_path)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            srv.stop()
            with open(report_path) as f:
                acked = json.load(f)["events_acked"]
            self.assertEqual(acked, 600)
            out = os.path.join(self.tmp, "ceiling.json")
            c = subprocess.run([CEILING, "--source", srv.data_dir, "--expect-events", str(acked),
                                "--report-json", out], capture_output=True, text=True,
                               timeout=RUN_TIMEOUT)
            self.assertEqual(c.returncode, 0, c.stdout + c.stderr)
            self.assertIn("verify            ok: source 600 events == acknowledged", c.stdout)
            with open(out) as f:
                ceiling = json.load(f)
            self.assertEqual(ceiling["events"], 600)
            # Every request's commit and its id reservation, besides the set-up writes.
            self.assertGreaterEqual(ceiling["batches"], 12)
            c = subprocess.run([CEILING, "--source", srv.data_dir, "--expect-events",
                                str(acked + 1)], capture_output=True, text=True,
                               timeout=RUN_TIMEOUT)
            self.assertEqual(c.returncode, 1, c.stdout + c.stderr)
            self.assertIn("MISMATCH", c.stdout)
        finally:
            srv.cleanup()

    def test_refuses_targets_that_are_not_loopback(self):
        for target in ("10.0.0.1:80", "192.168.1.1:8000", "example.com:80", "[2001:db8::1]:80"):
            r = run_loadgen("--target", target, "--token", "phc_x", "--batches", "1", timeout=10)
            self.assertEqual(r.returncode, 2, (target, r.stdout, r.stderr))
            self.assertIn("--target", r.stderr)
        r = run_loadgen("--target", self.target(), "--token", "phc_x", "--batches", "1",
                        "--verify-url", "http://10.1.2.3:8000", "--key", "phx_x", timeout=10)
        self.assertEqual(r.returncode, 2, r.stderr)


if __name__ == "__main__":
    args = []
    it = iter(sys.argv[1:])
    for a in it:
        if a == "--loadgen":
            LOADGEN = next(it, "")
        elif a.startswith("--loadgen="):
            LOADGEN = a[len("--loadgen="):]
        elif a == "--ceiling":
            CEILING = next(it, "")
        else:
            args.append(a)
    if not LOADGEN or not os.path.exists(LOADGEN):
        sys.stderr.write("load_generator binary not found: pass --loadgen PATH (got %r)\n"
                         % LOADGEN)
        sys.exit(2)
    if not CEILING or not os.path.exists(CEILING):
        sys.stderr.write("ingest_ceiling binary not found: pass --ceiling PATH (got %r)\n"
                         % CEILING)
        sys.exit(2)
    sys.argv = [sys.argv[0]] + args
    server.main()
