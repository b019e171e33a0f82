"""Black-box tests of operability (docs/operations.md): GET /metrics (Prometheus text that moves
with requests, bounded labels), the access log and --log-format, /_livez and /_readyz,
--version, ACTIOND_<FLAG> environment variables, and a start on a busy port.

    python3 tests/blackbox/ops_test.py --bin build/actiond
"""

import csv
import io
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import unittest
import uuid as uuidlib

import server
from server import event

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """{(name, frozenset(labels.items())): value} and {name: type}; raises on a bad line."""
    samples, types = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError("not a Prometheus sample line: %r" % line)
        labels = frozenset(LABEL.findall(m.group(3) or ""))
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def label_values(samples, name, label):
    return {dict(k[1]).get(label) for k in samples if k[0] == name}


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def scrape(self):
        r = self.srv.request("GET", "/metrics")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("text/plain"), r.headers)
        return parse_metrics(r.body.decode("utf-8"))

    def test_every_documented_metric_is_there_with_its_type(self):
        samples, types = self.scrape()
        expected = {
            "actiond_http_requests_total": "counter",
            "actiond_http_request_duration_seconds": "histogram",
            "actiond_events_ingested_total": "counter",
            "actiond_events_duplicate_total": "counter",
            "actiond_matches_total": "counter",
            "actiond_ingest_queue_depth": "gauge",
            "actiond_backfill_events_total": "counter",
            "actiond_webhook_deliveries_total": "counter",
            "actiond_rocksdb_bytes_written_total": "counter",
            "actiond_rocksdb_compaction_pending": "gauge",
            "actiond_rocksdb_block_cache_hits_total": "counter",
            "actiond_rocksdb_block_cache_misses_total": "counter",
            "actiond_rocksdb_block_cache_bytes": "gauge",
            "actiond_rocksdb_memtable_bytes": "gauge",
        }
        for name, kind in expected.items():
            self.assertEqual(types.get(name), kind, name)
        self.assertEqual(value(samples, "actiond_ingest_queue_depth"), 0)
        self.assertEqual(label_values(samples, "actiond_webhook_deliveries_total", "outcome"),
                         {"delivered", "retried", "dead_letter", "dropped"})
        # Documented in docs/operations.md, every one.
        with open(os.path.join(server.repo_root(), "docs", "operations.md")) as f:
            doc = f.read()
        for name in expected:
            self.assertIn(name, doc)

    def test_counters_move_with_requests(self):
        before, _ = self.scrape()
        first = event("ops_metric", "m1")
        self.assertEqual(self.srv.capture([first, event("ops_metric", "m1")]).status, 200)
        self.assertEqual(self.srv.capture([first]).status, 200)  # a retry: a duplicate
        self.assertEqual(self.srv.api("GET", "/api/projects/1/actions/").status, 200)
        after, _ = self.scrape()
        self.assertEqual(value(after, "actiond_events_ingested_total")
                         - value(before, "actiond_events_ingested_total"), 2)
        self.assertEqual(value(after, "actiond_events_duplicate_total")
                         - value(before, "actiond_events_duplicate_total"), 1)
        self.assertEqual(value(after, "actiond_http_requests_total", route="/batch", code="200")
                         - value(before, "actiond_http_requests_total", route="/batch",
                                 code="200"), 2)
        route = "/api/projects/:project_id/actions"
        self.assertGreaterEqual(value(after, "actiond_http_requests_total", route=route,
                                      code="200")
                                - value(before, "actiond_http_requests_total", route=route,
                                        code="200"), 1)
        self.assertGreaterEqual(value(after, "actiond_http_request_duration_seconds_count")
                                - value(before, "actiond_http_request_duration_seconds_count"), 3)
        self.assertGreater(value(after, "actiond_rocksdb_bytes_written_total"),
                           value(before, "actiond_rocksdb_bytes_written_total"))
        # The events sit in a memtable, whose reservation is charged to the one cache.
        self.assertGreater(value(after, "actiond_rocksdb_memtable_bytes"), 0)
        self.assertGreaterEqual(value(after, "actiond_rocksdb_block_cache_bytes"),
                                value(after, "actiond_rocksdb_memtable_bytes"))

    def test_matches_and_backfill_events_are_counted(self):
        name = "ops_match_%s" % uuidlib.uuid4().hex[:8]
        self.assertEqual(self.srv.capture([event(name, "b1")]).status, 200)
        before, _ = self.scrape()
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": name, "steps": [{"event": name}]})
        self.assertEqual(r.status, 201, r)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the backfill reads the stored events
            samples, _ = self.scrape()
            if value(samples, "actiond_backfill_events_total") > value(
                    before, "actiond_backfill_events_total"):
                break
            time.sleep(0.05)
        else:
            self.fail("actiond_backfill_events_total did not move")
        self.assertEqual(self.srv.capture([event(name, "b2")]).status, 200)
        after, _ = self.scrape()
        self.assertEqual(value(after, "actiond_matches_total")
                         - value(before, "actiond_matches_total"), 1)

    def test_labels_stay_bounded_whatever_the_paths(self):
        before, _ = self.scrape()
        junk = ["/nope-%s" % uuidlib.uuid4().hex, "/api/projects/%s/zzz" % uuidlib.uuid4().hex,
                "/api/projects/1/actions/%s/?x=%s" % (uuidlib.uuid4().hex, uuidlib.uuid4().hex)]
        for path in junk:
            self.srv.api("GET", path)
        after, _ = self.scrape()
        routes = label_values(after, "actiond_http_requests_total", "route")
        self.assertIn("unmatched", routes)
        for r in routes:
            self.assertFalse(re.search(r"[0-9a-f]{32}", r), r)
        self.assertGreaterEqual(
            value(after, "actiond_http_requests_total", route="unmatched", code="404")
            - value(before, "actiond_http_requests_total", route="unmatched", code="404"), 2)
        # Three different junk paths add at most the routes they matched, not a value each.
        for path in junk[:2]:
            self.srv.api("GET", path.replace("nope", "nope2"))
        again, _ = self.scrape()
        self.assertEqual(label_values(again, "actiond_http_requests_total", "route"), routes)

    def test_scopes_are_posthogs(self):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "plural", "scopes": ["actions:read"]})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["attr"], "scopes")
        self.assertEqual(r.json()["detail"], "Invalid scope: actions:read")
        for scopes in (["action:read", "query:read"], ["*"]):
            r = self.srv.api("POST", "/api/personal_api_keys/", {"label": "ok", "scopes": scopes})
            self.assertEqual(r.status, 201, r)

    def test_last_used_at_is_noted_at_most_once_a_minute(self):
        made = self.srv.api("POST", "/api/personal_api_keys/",
                            {"label": "used", "scopes": ["*"]}).json()
        path = "/api/personal_api_keys/%s/" % made["id"]
        self.assertIsNone(self.srv.api("GET", path).json()["last_used_at"])
        self.assertEqual(self.srv.api("GET", "/api/projects/1/", key=made["value"]).status, 200)
        first = self.srv.api("GET", path).json()["last_used_at"]
        self.assertRegex(first or "", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        time.sleep(1.1)
        self.assertEqual(self.srv.api("GET", "/api/projects/1/", key=made["value"]).status, 200)
        self.assertEqual(self.srv.api("GET", path).json()["last_used_at"], first)

    def test_csv_cells_cannot_run_as_formulas(self):
        name = "=HYPERLINK(\"http://x\",\"y\")%s" % uuidlib.uuid4().hex[:6]
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": name, "steps": [{"event": "@evil"}]})
        self.assertEqual(r.status, 201, r)
        r = self.srv.api("GET", "/api/projects/1/actions/?format=csv")
        self.assertEqual(r.status, 200, r)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        cells = [c for row in rows[1:] for c in row]
        self.assertIn("'" + name, cells)
        self.assertIn("'@evil", cells)
        for c in cells:
            self.assertFalse(c[:1] in ("=", "+", "-", "@", "\t", "\r"), c)

    def test_every_405_allows_exactly_the_methods_the_route_serves(self):
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "allow", "steps": [{"event": "allow"}]})
        self.assertEqual(r.status, 201, r)
        action = r.json()["id"]
        paths = ["/api/projects/", "/api/projects/1/", "/api/projects/1/actions/",
                 "/api/projects/1/actions/%d/" % action, "/api/projects/1/actions/%d/count/" % action,
                 "/api/personal_api_keys/", "/api/projects/1/events/", "/batch/", "/metrics",
                 "/_readyz", "/api/projects/1/hooks/"]
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        for path in paths:
            served, allows = set(), set()
            for m in methods:
                # Bodies that change nothing: an empty name is refused before anything is stored.
                body = {"name": ""} if m in ("POST", "PUT", "PATCH") else None
                r = self.srv.api(m, path, body=body)
                if r.status == 405:
                    allows.add(r.headers["allow"])
                else:
                    served.add(m)
            with self.subTest(path=path):
                self.assertTrue(allows, path)
                for allow in allows:
                    self.assertEqual(set(a.strip() for a in allow.split(",")), served, allow)

    def test_livez_and_readyz(self):
        for path in ("/_livez", "/_readyz"):
            r = self.srv.request("GET", path)
            self.assertEqual(r.status, 200, r)
        self.assertEqual(self.srv.request("GET", "/_readyz").json(), {"status": "ready"})

    def test_access_log_has_route_pattern_and_no_query_or_token(self):
        secret = "sekrit%s" % uuidlib.uuid4().hex
        r = self.srv.api("GET", "/api/projects/1/actions/?search=%s" % secret)
        self.assertEqual(r.status, 200, r)
        self.srv.capture([event("x", "d")], path="/e/?token=%s" % secret)
        time.sleep(0.1)
        log = self.srv.stderr()
        self.assertNotIn(secret, log)
        self.assertNotIn(self.srv.personal_key, log)
        self.assertNotIn(self.srv.project_token, log)
        self.assertRegex(log, r"access method=GET route=/api/projects/:project_id/actions "
                              r"status=200 bytes=\d+ duration_ms=[0-9.]+ project_id=1")


class StartupTest(unittest.TestCase):
    def run_bin(self, args, env=None, timeout=20):
        e = dict(os.environ)
        e.update(env or {})
        return subprocess.run([server.BIN] + args, env=e, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    def test_version(self):
        r = self.run_bin(["--version"])
        self.assertEqual(r.returncode, 0, r)
        self.assertRegex(r.stdout.strip(), r"^actiond \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}|unknown)\)$")

    def test_json_logs_from_the_environment_and_flags_override_it(self):
        s = server.Server(env={"ACTIOND_LOG_FORMAT": "json", "ACTIOND_LOG_LEVEL": "error"},
                          args=["--log-level", "info"]).start()
        try:
            self.assertEqual(s.request("GET", "/_livez").status, 200)
            s.stop()
            lines = [json.loads(line) for line in s.stderr().splitlines() if line.strip()]
            self.assertTrue(lines)
            for line in lines:
                self.assertEqual(set(line) >= {"ts", "level", "msg"}, True, line)
            msgs = [line["msg"] for line in lines]
            self.assertTrue(any(m.startswith("store opened") for m in msgs), msgs)
            access = [line for line in lines if line["msg"] == "access"]
            self.assertTrue(any(a["route"] == "/_livez" and a["status"] == "200"
                                for a in access), access)
            self.assertTrue(any(m == "closing the store" for m in msgs), msgs)
        finally:
            s.cleanup()

    def test_env_values_are_checked_like_flags(self):
        with tempfile.TemporaryDirectory() as d:
            r = self.run_bin(["--data-dir", os.path.join(d, "data")],
                             env={"ACTIOND_THREADS": "-1"})
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("--threads", r.stderr)
            self.assertIn("not in range 0 to 1024", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "data")))

    def test_first_start_writes_initial_credentials_0600(self):
        s = server.Server(project_token=None, personal_key=None).start()
        try:
            path = os.path.join(s.data_dir, "initial-credentials")
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            with open(path) as f:
                text = f.read()
            key = re.search(r"phx_[A-Za-z0-9_-]{43}", s.stdout()).group(0)
            token = re.search(r"phc_[A-Za-z0-9_-]{43}", s.stdout()).group(0)
            self.assertIn(key, text)
            self.assertIn(token, text)
            self.assertEqual(s.api("GET", "/api/projects/1/", key=key).status, 200)
        finally:
            s.cleanup()

    def test_key_that_does_not_look_like_one_is_refused_at_start(self):
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "data")
            for key, why in (("phx_short", "at least 16"), ("phc_" + "a" * 40, "project token"),
                             ("hunter2", "must start with phx_")):
                r = self.run_bin(["--listen", "127.0.0.1:0", "--data-dir", data],
                                 env={"ACTIOND_PERSONAL_API_KEY": key})
                self.assertNotEqual(r.returncode, 0, key)
                self.assertIn(why, r.stderr)
                self.assertNotIn(key, r.stderr)
                self.assertFalse(os.path.exists(data))

    def test_key_from_a_file(self):
        with tempfile.TemporaryDirectory() as d:
            key = "phx_fromfile_" + uuidlib.uuid4().hex
            path = os.path.join(d, "key")
            with open(path, "w") as f:
                f.write(key + "\n")
            s = server.Server(personal_key=None, args=["--personal-api-key-file", path]).start()
            try:
                self.assertEqual(s.api("GET", "/api/projects/1/", key=key).status, 200)
                self.assertFalse(os.path.exists(os.path.join(s.data_dir, "initial-credentials")))
            finally:
                s.cleanup()

    def test_busy_port_fails_before_any_store_is_made(self):
        with socket.socket() as taken, tempfile.TemporaryDirectory() as d:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            data = os.path.join(d, "data")
            r = self.run_bin(["--listen", "127.0.0.1:%d" % port, "--data-dir", data])
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("Address already in use", r.stderr)
            self.assertFalse(os.path.exists(data), os.listdir(d))


if __name__ == "__main__":
    server.main()
