"""Concurrency: ingest continuously from several threads while actions are created, changed,
renamed, soft-deleted and undeleted (with backfills running over a pre-filled project); after
quiescence and once every backfill is done, every live action's count equals (1) a count
computed client-side from the events the server acknowledged and (2) a recount from scratch
(the same steps created again as a new action, counted by its own backfill), and both list the
same people.

    python3 tests/blackbox/actions_concurrency_test.py --bin build/actiond
"""

import datetime
import random
import re
import threading
import time
import unittest
import uuid

import server
from server import Server

NAMES = ["a", "b", "c", "d", "e"]
URLS = ["https://s.test/x1", "https://s.test/y2", "https://s.test/x/y3", None]
START = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)


def make_event(rng):
    props = {}
    url = rng.choice(URLS)
    if url is not None:
        props["$current_url"] = url
    ts = START + datetime.timedelta(seconds=rng.randrange(30 * 86400), milliseconds=rng.randrange(1000))
    return {"event": rng.choice(NAMES), "distinct_id": "user-%d" % rng.randrange(300),
            "uuid": str(uuid.uuid4()), "properties": props,
            "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ts.microsecond // 1000)}


def step_matches(step, ev):
    if step.get("event") and ev["event"] != step["event"]:
        return False
    if step.get("url"):
        url = ev["properties"].get("$current_url")
        if not url:
            return False
        mode = step.get("url_matching") or "contains"
        if mode == "contains" and step["url"] not in url:  # patterns here have no % or _
            return False
        if mode == "exact" and url != step["url"]:
            return False
        if mode == "regex" and not re.search(step["url"], url):
            return False
    return True


def expected_count(steps, events):
    return sum(1 for ev in events if any(step_matches(s, ev) for s in steps))


class ActionsConcurrencyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def send(self, token, events, sent):
        r = self.srv.capture(events, token=token)
        self.assertEqual(r.status, 200, r)
        sent.extend(events)

    def action_path(self, project, action_id=None, suffix=""):
        base = "/api/projects/%s/actions/" % project
        return base if action_id is None else "%s%s/%s" % (base, action_id, suffix)

    def wait_all_calculated(self, project, ids, timeout=120):
        deadline = time.monotonic() + timeout
        pending = set(ids)
        while pending:
            for action_id in sorted(pending):
                a = self.srv.api("GET", self.action_path(project, action_id)).json()
                if a["is_calculating"] is False:
                    pending.discard(action_id)
            if pending:
                self.assertLess(time.monotonic(), deadline, "backfills still running: %s" % pending)
                time.sleep(0.1)

    def count(self, project, action_id):
        r = self.srv.api("GET", self.action_path(project, action_id, "count/"))
        self.assertEqual(r.status, 200, r)
        return r.json()["count"]

    def people(self, project, action_id):
        ids = []
        path = self.action_path(project, action_id, "people/?limit=1000")
        r = self.srv.api("GET", path)
        self.assertEqual(r.status, 200, r)
        for person in r.json()["results"][0]["people"]:
            ids.append(person["uuid"])
        return sorted(ids)

    def create(self, project, name, steps):
        r = self.srv.api("POST", self.action_path(project), {"name": name, "steps": steps})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def patch(self, project, action_id, body):
        r = self.srv.api("PATCH", self.action_path(project, action_id), body)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_counts_equal_a_recount_after_concurrent_changes(self):
        r = self.srv.api("POST", "/api/projects/", {"name": "concurrency"})
        project, token = r.json()["id"], r.json()["api_token"]
        rng = random.Random(20240318)
        sent = []
        # A backlog, so that backfills take many chunks while events keep arriving.
        for _ in range(40):
            self.send(token, [make_event(rng) for _ in range(500)], sent)

        stop = threading.Event()
        errors = []
        per_thread = [[] for _ in range(3)]

        def ingest(index):
            local = random.Random(index)
            try:
                while not stop.is_set():
                    batch = [make_event(local) for _ in range(local.randrange(1, 60))]
                    r = self.srv.capture(batch, token=token)
                    if r.status != 200:
                        errors.append(r)
                        return
                    per_thread[index].extend(batch)
            except Exception as e:  # a dropped connection is a failure too
                errors.append(e)

        threads = [threading.Thread(target=ingest, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        try:
            final = {}
            a = self.create(project, "A", [{"event": "a"}])
            b = self.create(project, "B", [{"event": "b"},
                                           {"event": "c", "url": "/x", "url_matching": "contains"}])
            c = self.create(project, "C", [{"event": "d"}])
            d = self.create(project, "D", [{"url": r"^https://s\.test/x\d$", "url_matching": "regex"}])
            time.sleep(0.3)
            self.patch(project, a, {"steps": [{"event": "c"}]})          # recompute mid-stream
            self.patch(project, b, {"name": "B renamed"})               # matches untouched
            self.patch(project, c, {"deleted": True})                   # stops matching
            time.sleep(0.3)
            self.patch(project, a, {"steps": [{"event": "c"}, {"event": "e", "url": "y"}]})
            e = self.create(project, "E", [{"url": "/y", "url_matching": "contains"}])
            self.patch(project, d, {"deleted": True})
            time.sleep(0.3)
            self.patch(project, c, {"deleted": False})                  # catches up by backfill
            self.patch(project, b, {"steps": [{"event": "b"}]})
            time.sleep(0.5)
            final = {
                a: [{"event": "c"}, {"event": "e", "url": "y"}],
                b: [{"event": "b"}],
                c: [{"event": "d"}],
                e: [{"url": "/y", "url_matching": "contains"}],
            }
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        self.assertEqual(errors, [])
        for chunk in per_thread:
            sent.extend(chunk)
        self.assertGreater(len(sent), 20000)

        self.wait_all_calculated(project, list(final) + [d])
        recounts = {}
        for action_id, steps in final.items():
            recounts[action_id] = self.create(project, "recount %d" % action_id, steps)
        self.wait_all_calculated(project, recounts.values())

        for action_id, steps in final.items():
            want = expected_count(steps, sent)
            self.assertEqual(self.count(project, action_id), want, "action %d" % action_id)
            self.assertEqual(self.count(project, recounts[action_id]), want,
                             "recount of action %d" % action_id)
            self.assertEqual(self.people(project, action_id),
                             self.people(project, recounts[action_id]))
        # The action deleted mid-stream counts no more than all its matching events.
        self.assertLessEqual(self.count(project, d),
                             expected_count([{"url": r"^https://s\.test/x\d$",
                                              "url_matching": "regex"}], sent))


if __name__ == "__main__":
    server.main()
