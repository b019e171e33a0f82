"""Black-box test of a full disk (docs/operations.md §Disk full): the real server, its writes
made to fail for real with a file size limit (RLIMIT_FSIZE, set on the running process with
`prlimit --pid`; actiond ignores SIGXFSZ, so a write past the limit fails with EFBIG instead of
killing it).

While the store cannot write: capture and the REST writes answer 503 with Retry-After in
PostHog's error shape (never a 500), nothing of a refused request is stored, every acknowledged
event is stored and counted exactly, reads answer 200, /_readyz 503 and actiond_store_writable
is 0. Once the limit is lifted the same process takes writes again, without a restart.

    python3 tests/blackbox/disk_full_test.py --bin build/actiond
"""

import subprocess
import time
import unittest
import uuid as uuidlib

import server
from server import event

# Small enough that the WAL reaches it within a few dozen requests, large enough for the
# server's other files (MANIFEST, OPTIONS, its logs) up to then.
FIRST_LIMIT = 192 * 1024
BATCH = 10


class DiskFullTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()

    @classmethod
    def tearDownClass(cls):
        if cls.srv.proc is not None and cls.srv.proc.poll() is None:
            cls.set_file_size_limit("unlimited")
        cls.srv.cleanup()

    @classmethod
    def set_file_size_limit(cls, soft):
        # Only the soft limit (`N:`): the hard one stays unlimited, so that raising it back
        # needs no privilege.
        subprocess.run(["prlimit", "--pid", str(cls.srv.proc.pid), "--fsize=%s:" % soft],
                       check=True, timeout=10)

    def capture_batch(self, n):
        """One request of BATCH events of a person of its own; returns (response, uuids, person)."""
        person = "person-%d-%s" % (n, uuidlib.uuid4().hex[:8])
        # Random hex does not compress: the WAL grows by about what is sent.
        events = [event("disk", distinct_id=person,
                        properties={"blob": uuidlib.uuid4().hex * 12, "n": n})
                  for _ in range(BATCH)]
        r = self.srv.capture(events)
        return r, [e["uuid"] for e in events], person

    def assert_store_unwritable_answer(self, r):
        self.assertEqual(r.status, 503, r)
        self.assertIn("retry-after", r.headers, r.headers)
        self.assertGreaterEqual(int(r.headers["retry-after"]), 1)
        body = r.json()
        self.assertEqual(body["type"], "server_error", body)
        self.assertEqual(body["code"], "store_unwritable", body)
        self.assertIn("disk", body["detail"])
        self.assertIsNone(body["attr"])

    def wait_ready(self, want_status, timeout=15.0):
        deadline = time.monotonic() + timeout
        while True:
            r = self.srv.request("GET", "/_readyz")
            if r.status == want_status or time.monotonic() > deadline:
                return r
            time.sleep(0.1)

    def store_writable_metric(self):
        for line in self.srv.request("GET", "/metrics").body.decode().splitlines():
            if line.startswith("actiond_store_writable "):
                return float(line.split()[1])
        self.fail("no actiond_store_writable in /metrics")

    def assert_stored_exactly(self, action_id, acked, persons):
        count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action_id)
        self.assertEqual(count.status, 200, count)
        self.assertEqual(count.json()["count"], len(acked))
        stored = {e["uuid"] for e in self.srv.events(event="disk")}
        self.assertEqual(stored, set(acked), "stored events are exactly the acknowledged ones")
        people = self.srv.api("GET", "/api/projects/1/actions/%d/people/?limit=1000" % action_id)
        self.assertEqual(people.status, 200, people)
        listed = {d for p in people.json()["results"][0]["people"] for d in p["distinct_ids"]}
        self.assertEqual(listed, set(persons), "persons of refused requests were not created")

    def test_full_disk_answers_503_keeps_reads_and_resumes_without_restart(self):
        srv = self.srv
        created = srv.api("POST", "/api/projects/1/actions/",
                          {"name": "disk full", "steps": [{"event": "disk"}]})
        self.assertEqual(created.status, 201, created)
        action_id = created.json()["id"]
        acked, persons = [], []

        # 1. Ingest until the WAL reaches the limit and a write fails.
        self.set_file_size_limit(FIRST_LIMIT)
        first_refusal = None
        for n in range(400):
            r, uuids, person = self.capture_batch(n)
            self.assertIn(r.status, (200, 503), r)  # never a 500
            if r.status == 200:
                acked += uuids
                persons.append(person)
            else:
                self.assert_store_unwritable_answer(r)
                first_refusal = n
                break
        self.assertIsNotNone(first_refusal, "no write failed below the file size limit")
        self.assertGreater(len(acked), 0)
        # The store reports the change from its recovery thread. RLIMIT_FSIZE limits every file
        # the process writes, the stderr log too: let that line reach the log before the
        # one-byte limit below would refuse it as well (on a loaded machine it can come later).
        deadline = time.monotonic() + 10
        while "store: cannot write" not in srv.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)

        # 2. RLIMIT_FSIZE is per file: RocksDB's recovery starts a new, empty WAL that would
        # take writes again. A one-byte limit is a disk with no room at all.
        self.set_file_size_limit(1)
        for n in range(first_refusal + 1, first_refusal + 6):
            r, _, _ = self.capture_batch(n)
            self.assert_store_unwritable_answer(r)
        for path in ("/e/", "/i/v0/e/", "/capture/"):
            one = event("disk", distinct_id="single-" + path)
            r = srv.request("POST", path, body='{"api_key": "%s", "event": "disk", '
                            '"distinct_id": "%s", "uuid": "%s"}' %
                            (srv.project_token, one["distinct_id"], one["uuid"]),
                            headers={"Content-Type": "application/json"})
            self.assert_store_unwritable_answer(r)

        # REST writes: the same 503, nothing stored.
        self.assert_store_unwritable_answer(
            srv.api("POST", "/api/projects/1/actions/",
                    {"name": "not stored", "steps": [{"event": "x"}]}))
        self.assert_store_unwritable_answer(
            srv.api("PATCH", "/api/projects/1/actions/%d/" % action_id, {"name": "renamed"}))
        self.assert_store_unwritable_answer(srv.api("POST", "/api/projects/", {"name": "p"}))

        # Reads answer from what is stored; readiness and the gauge say writes fail.
        self.assertEqual(self.wait_ready(503).status, 503)
        self.assertEqual(self.store_writable_metric(), 0.0)
        listed = srv.api("GET", "/api/projects/1/actions/")
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual([a["name"] for a in listed.json()["results"]], ["disk full"])
        self.assert_stored_exactly(action_id, acked, persons)

        # 3. Make room: the same process resumes (no restart) and takes writes again.
        pid = srv.proc.pid
        self.set_file_size_limit("unlimited")
        self.assertEqual(self.wait_ready(200).status, 200)
        self.assertEqual(self.store_writable_metric(), 1.0)
        for n in range(1000, 1005):
            r, uuids, person = self.capture_batch(n)
            self.assertEqual(r.status, 200, r)
            acked += uuids
            persons.append(person)
        renamed = srv.api("PATCH", "/api/projects/1/actions/%d/" % action_id,
                          {"name": "disk full, resumed"})
        self.assertEqual(renamed.status, 200, renamed)
        self.assertEqual(srv.proc.pid, pid)
        self.assertIsNone(srv.proc.poll())
        self.assert_stored_exactly(action_id, acked, persons)

        # One log line each way, not one per refused request.
        log = srv.stderr()
        self.assertEqual(log.count("store: writes work again"), 1, log[-3000:])
        self.assertGreaterEqual(log.count("store: cannot write"), 1, log[-3000:])
        self.assertNotIn("A server error occurred", log)

        # 4. What was acknowledged survives a restart, and nothing refused reappears.
        self.assertEqual(srv.stop(), 0)
        srv.start()
        self.assert_stored_exactly(action_id, acked, persons)


if __name__ == "__main__":
    server.main()
