"""Never lost: kill -9 actiond while clients ingest events that match a post_to_slack action,
restart it on the same data dir, ten times; then every match the store holds must have reached
the receiver at least once, and nothing else. Deliveries are counted by their Idempotency-Key
(`<event uuid>:<action id>`), the receivers' way of dropping repeats (docs/webhooks.md §6)."""

import http.client
import random
import shutil
import tempfile
import threading
import time
import unittest
import uuid as uuidlib

import server
import webhook_receiver as wr

ROUNDS = 10
BATCH = 10
# Load, but not more than the receiver (a Python server) drains in a few seconds, and far below
# the outbox bound (--webhook-outbox-max), so that nothing is dropped on purpose.
PAUSE_S = 0.02
TIME_BUDGET_S = 150


class WebhooksCrashTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="actiond-bb-whcrash-")
        self.receiver = wr.Receiver().start()
        self.srv = server.Server(data_dir=self.dir + "/data", args=("--webhook-backoff", "0.1"))
        self.rng = random.Random(20261203)

    def tearDown(self):
        self.srv.cleanup()
        self.receiver.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, stop):
        while not stop.is_set():
            batch = [{"event": "signup", "distinct_id": "c%d" % self.rng.randrange(50),
                      "uuid": str(uuidlib.uuid4())} for _ in range(BATCH)]
            try:
                self.srv.capture(batch, compress=True, timeout=10)
            except (OSError, http.client.HTTPException):
                return  # killed: this batch may or may not have been committed
            time.sleep(PAUSE_S)

    def test_every_match_is_delivered_across_kills(self):
        started = time.monotonic()
        self.srv.start()
        url = self.receiver.url("/services/hooks.slack.com/T/B/crash")
        self.assertEqual(self.srv.api("PATCH", "/api/projects/1/",
                                      {"slack_incoming_webhook": url}).status, 200)
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "Signup", "post_to_slack": True, "steps": [{"event": "signup"}]})
        self.assertEqual(r.status, 201, r)
        action = r.json()["id"]
        for round_ in range(ROUNDS):
            if round_ > 0:
                self.srv.start()
            stop = threading.Event()
            clients = [threading.Thread(target=self.client, args=(stop,)) for _ in range(2)]
            for c in clients:
                c.start()
            time.sleep(self.rng.uniform(0.3, 0.9))
            self.srv.kill()
            stop.set()
            for c in clients:
                c.join(15)
            self.assertLess(time.monotonic() - started, TIME_BUDGET_S, "time budget")

        self.srv.start()
        count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action).json()["count"]
        stored = {e["id"] for e in self.srv.events(event="signup")}
        self.assertEqual(len(stored), count)
        self.assertGreater(count, 0)
        expected = {"%s:%d" % (u, action) for u in stored}

        def delivered():
            return {r.key for r in self.receiver.received()}

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not expected <= delivered():
            time.sleep(0.1)
        got = delivered()
        self.assertEqual(len(expected - got), 0, "lost: %d of %d" % (len(expected - got), count))
        self.assertEqual(got - expected, set(), "deliveries for matches the store does not hold")
        self.assertEqual(len(got), count)
        pending = self.srv.api("GET", "/api/projects/1/webhook_deliveries/?status=pending").json()
        self.assertEqual(pending["results"], [])
        repeats = len(self.receiver.received()) - len(got)
        print("webhooks crash: %d matches, %d delivered, %d repeats after kills"
              % (count, len(got), repeats))


if __name__ == "__main__":
    server.main()
