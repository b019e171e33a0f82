"""Crash safety beyond ingestion: kill -9 actiond while clients change actions' steps (each
change starts a backfill) and keep ingesting, restart it on the same data dir, and check that
  - every action holds the steps of its last acknowledged change, or of the one in flight;
  - every backfill finishes; and
  - every action's count and people equal a recount of the stored events against the steps the
    server holds (the unacknowledged batches are resent first; their uuids make that exact).
"""

import http.client
import random
import threading
import time
import unittest

import server
from server import event

ROUNDS = 4
ACTIONS = 4
NAMES = ["n%d" % i for i in range(6)]
PEOPLE = ["p%d" % i for i in range(40)]  # fewer than a people page (100)
PRELOAD_BATCHES = 24
BATCH = 250
CALCULATE_TIMEOUT_S = 120


class KillDuringActionUpdatesTest(unittest.TestCase):
    def setUp(self):
        self.srv = server.Server().start()
        self.rng = random.Random(20261130)
        self.sent = []  # every batch ever sent, acknowledged or not
        self.acked = set()  # indexes into self.sent answered 200
        self.lock = threading.Lock()
        self.errors = []  # unexpected answers seen by the client threads

    def tearDown(self):
        self.srv.cleanup()

    # --- clients -------------------------------------------------------------------------

    def new_batch(self, rng):
        events = [event(rng.choice(NAMES), rng.choice(PEOPLE)) for _ in range(BATCH)]
        with self.lock:
            self.sent.append(events)
            return len(self.sent) - 1

    def send(self, index):
        try:
            r = self.srv.capture(self.sent[index], compress=True)
        except (OSError, http.client.HTTPException):
            return False  # the server is gone; the batch stays unacknowledged
        with self.lock:
            if r.status == 200:
                self.acked.add(index)
            else:
                self.errors.append("capture: %r" % r)
        return r.status == 200

    def ingest_until(self, stop, seed):
        rng = random.Random(seed)
        while not stop.is_set():
            if not self.send(self.new_batch(rng)):
                return

    def random_steps(self, rng):
        return [{"event": name} for name in sorted(rng.sample(NAMES, rng.randint(1, 3)))]

    def update_until(self, stop, action, state, seed):
        """PATCHes `action`'s steps one change at a time; state[action] holds the last
        acknowledged steps and the change in flight."""
        rng = random.Random(seed)
        while not stop.is_set():
            steps = self.random_steps(rng)
            state[action]["in_flight"] = steps
            try:
                r = self.srv.api("PATCH", "/api/projects/1/actions/%d/" % action,
                                 {"steps": steps})
            except (OSError, http.client.HTTPException):
                return  # killed mid-request: the change may or may not have been applied
            if r.status != 200:
                with self.lock:
                    self.errors.append("PATCH %d: %r" % (action, r))
                return
            state[action]["acked"] = steps
            state[action]["in_flight"] = None

    # --- checks --------------------------------------------------------------------------

    def action(self, action):
        r = self.srv.api("GET", "/api/projects/1/actions/%d/" % action)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def wait_calculated(self, actions):
        deadline = time.monotonic() + CALCULATE_TIMEOUT_S
        for action in actions:
            while self.action(action)["is_calculating"]:
                self.assertLess(time.monotonic(), deadline, "backfill of %d never ends" % action)
                time.sleep(0.05)

    def recount(self, steps):
        names = {step["event"] for step in steps}
        matching = [e for events in self.sent for e in events if e["event"] in names]
        return len(matching), {e["distinct_id"] for e in matching}

    def check_counts(self, actions, round_no):
        for action in actions:
            steps = [{"event": s["event"]} for s in self.action(action)["steps"]]
            expected_count, expected_people = self.recount(steps)
            count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action).json()
            self.assertEqual(count["count"], expected_count,
                             "round %d: action %d with steps %s" % (round_no, action, steps))
            people = self.srv.api("GET", "/api/projects/1/actions/%d/people/" % action).json()
            got = {p["distinct_ids"][0] for p in people["results"][0]["people"]}
            self.assertEqual(got, expected_people, "round %d: action %d" % (round_no, action))

    # --- the test ------------------------------------------------------------------------

    def test_counts_equal_a_recount_after_kills_during_action_updates(self):
        for _ in range(PRELOAD_BATCHES):
            self.assertTrue(self.send(self.new_batch(self.rng)))
        actions = []
        for i in range(ACTIONS):
            r = self.srv.api("POST", "/api/projects/1/actions/",
                             {"name": "a%d" % i, "steps": self.random_steps(self.rng)})
            self.assertEqual(r.status, 201, r)
            actions.append(r.json()["id"])

        resumed_backfills = 0  # backfills a kill interrupted, resumed after the restart
        for round_no in range(ROUNDS):
            state = {a: {"acked": None, "in_flight": None} for a in actions}
            stop = threading.Event()
            threads = [threading.Thread(target=self.ingest_until, args=(stop, round_no))]
            threads += [threading.Thread(target=self.update_until,
                                         args=(stop, a, state, 1000 * round_no + a))
                        for a in actions]
            for t in threads:
                t.start()
            time.sleep(self.rng.uniform(0.3, 1.5))
            self.srv.kill()  # SIGKILL: mid-PATCH, mid-backfill, mid-batch
            stop.set()
            for t in threads:
                t.join(30)
                self.assertFalse(t.is_alive())
            self.assertEqual(self.errors, [])
            self.srv.start()
            resumed_backfills += sum(self.action(a)["is_calculating"] for a in actions)

            for a in actions:
                held = [{"event": s["event"]} for s in self.action(a)["steps"]]
                allowed = [s for s in (state[a]["acked"], state[a]["in_flight"]) if s is not None]
                if allowed:  # otherwise no change was sent this round
                    self.assertIn(held, allowed, "round %d: action %d lost an acknowledged "
                                  "change" % (round_no, a))
            for index in range(len(self.sent)):
                if index not in self.acked:
                    self.assertTrue(self.send(index), "resending batch %d" % index)
            self.wait_calculated(actions)
            self.check_counts(actions, round_no)
        # Steps change every few milliseconds, so the kills land in backfills (4 per round seen).
        self.assertGreater(resumed_backfills, 0, "no kill interrupted a backfill")


if __name__ == "__main__":
    server.main()
