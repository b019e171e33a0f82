"""Crash safety: kill -9 actiond while clients ingest, restart it on the same data dir, and check
that every acknowledged event is stored exactly once — and that resending the unacknowledged
batches leaves the totals exact (the client's uuid makes a retry idempotent)."""

import collections
import http.client
import random
import shutil
import tempfile
import threading
import time
import unittest
import uuid as uuidlib

import server

ROUNDS = 10
THREADS = 3
BATCH = 50
TIME_BUDGET_S = 170


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="actiond-bb-crash-")
        self.srv = server.Server(data_dir=self.dir + "/data")
        self.rng = random.Random(20261130)
        self.sent = {}  # batch id → list of events (every batch ever sent)
        self.acked = set()  # batch ids answered 200
        self.resent = 0  # batches that a kill left unacknowledged

    def tearDown(self):
        self.srv.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)

    def make_batch(self, thread):
        bid = len(self.sent)
        events = [{"event": "crash_%d" % (i % 3), "distinct_id": "crash-%d" % thread,
                   "uuid": str(uuidlib.uuid4()), "properties": {"batch": bid, "i": i}}
                  for i in range(BATCH)]
        self.sent[bid] = events
        return bid

    def post(self, events, timeout=10):
        return self.srv.capture(events, compress=True, timeout=timeout).status

    def client(self, thread, stop, lock):
        while not stop.is_set():
            with lock:
                bid = self.make_batch(thread)
            try:
                status = self.post(self.sent[bid])
            except (OSError, http.client.HTTPException):
                return  # the server is gone; this batch stays unacknowledged
            if status == 200:
                with lock:
                    self.acked.add(bid)

    def stored_counts(self):
        return collections.Counter(e["uuid"] for e in self.srv.events(limit=10000))

    def check_acknowledged_once(self, counts, round_no):
        dupes = [u for u, n in counts.items() if n != 1]
        self.assertEqual(dupes, [], "round %d: events stored more than once" % round_no)
        all_sent = {e["uuid"] for events in self.sent.values() for e in events}
        self.assertTrue(set(counts) <= all_sent, "round %d: unknown events" % round_no)
        for bid in self.acked:
            missing = [e["uuid"] for e in self.sent[bid] if e["uuid"] not in counts]
            self.assertEqual(missing, [], "round %d: acknowledged batch %d lost events"
                             % (round_no, bid))
        # A request is all or nothing: every batch is stored whole or not at all.
        for bid, events in self.sent.items():
            present = sum(1 for e in events if e["uuid"] in counts)
            self.assertIn(present, (0, len(events)), "round %d: batch %d half-stored"
                          % (round_no, bid))

    def test_kill_dash_nine_while_ingesting(self):
        deadline = time.monotonic() + TIME_BUDGET_S
        for round_no in range(ROUNDS):
            self.assertLess(time.monotonic(), deadline, "time budget exceeded")
            self.srv.start()
            stop = threading.Event()
            lock = threading.Lock()
            threads = [threading.Thread(target=self.client, args=(t, stop, lock), daemon=True)
                       for t in range(THREADS)]
            for t in threads:
                t.start()
            time.sleep(self.rng.uniform(0.2, 1.2))
            self.srv.kill()  # SIGKILL, mid-request with high probability
            stop.set()
            for t in threads:
                t.join(15)
                self.assertFalse(t.is_alive(), "a client thread hung")

            self.srv.start()
            self.check_acknowledged_once(self.stored_counts(), round_no)
            # Resend everything not acknowledged: afterwards the totals are exact.
            for bid in sorted(set(self.sent) - self.acked):
                self.assertEqual(self.post(self.sent[bid]), 200)
                self.acked.add(bid)
                self.resent += 1
            counts = self.stored_counts()
            expected = {e["uuid"] for events in self.sent.values() for e in events}
            self.assertEqual(set(counts), expected, "round %d: totals differ" % round_no)
            self.assertTrue(all(n == 1 for n in counts.values()))
            self.assertEqual(self.srv.stop(), 0)
        self.assertGreater(len(self.sent), ROUNDS)
        # The kills did land mid-request (else this test proved little).
        self.assertGreater(self.resent, 0)

    def test_sigterm_drains_then_exits_zero(self):
        self.srv.start()
        stop = threading.Event()
        lock = threading.Lock()
        threads = [threading.Thread(target=self.client, args=(t, stop, lock), daemon=True)
                   for t in range(THREADS)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        self.assertEqual(self.srv.stop(), 0)  # SIGTERM while requests are in flight
        stop.set()
        for t in threads:
            t.join(15)
            self.assertFalse(t.is_alive(), "a client thread hung")
        self.assertTrue(self.acked)
        self.srv.start()
        self.check_acknowledged_once(self.stored_counts(), 0)


if __name__ == "__main__":
    server.main()
