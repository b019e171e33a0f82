#!/usr/bin/env python3
"""Runs the matching conformance cases against a real actiond (the ctest test conformance_cases).

    tests/conformance/run_cases.py --bin build/actiond [CASES.jsonl ...]

Without case files it runs tests/conformance/matching.jsonl. One server (tests/blackbox/server.py:
a free loopback port, a temporary data dir) serves every case, and each case gets a project of
its own, so cases never see each other's events, persons or actions. For each case:

  1. its action is created before any event is sent, so it matches live;
  2. its events are sent in one POST /batch/ with the project's token;
  3. the action's count must be the expected count;
  4. the same action is created again, now that the events are stored, so a backfill computes
     its matches; once it is no longer calculating, its count must be the expected count too;
  5. when people are expected, the people endpoint of both actions must list one of them.

Case format: one JSON object a line; blank lines and lines starting with `#` are skipped.
  name           a unique name (also the action's name)
  why            the rule of docs/semantics.md the case exercises (not read here)
  action         {"steps": [step, ...]}, a PostHog action body; or `step`: one step
  events         [event, ...]; or `event`: one event. An event has `event`, optional
                 `properties`, and optional top-level `distinct_id`, `timestamp`,
                 `elements_chain`, `$set`, `$set_once` (sent as given)
  person         person properties, sent as `$set` in the first event's properties
  expect_count   the number of matching events; or `matches`: true/false for 1/0
  expect_people  distinct ids of which the people endpoint must list at least one. Absent: the
                 senders of the case's events that have a person (every event whose
                 `$process_person_profile` is not false), when the count is above 0

Events without `distinct_id` come from one id per case; without `timestamp` they carry the time
of sending. Every event gets a fresh uuid.

Each case is a unittest subTest, so every failing case is reported (with its line number) and the
run fails when any does. Python 3 standard library only.
"""

import json
import os
import sys
import time
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "blackbox"))
import server  # noqa: E402  (tests/blackbox/server.py)

DEFAULT_CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "matching.jsonl")
BACKFILL_TIMEOUT_S = 30.0
TOP_LEVEL_EVENT_FIELDS = ("distinct_id", "timestamp", "elements_chain", "$set", "$set_once")

case_files = []  # taken off the command line before unittest sees it


def load_cases(paths):
    """(path, line number, case) for every case line of `paths`, in order."""
    cases = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                line = line.strip()
                if line and not line.startswith("#"):
                    cases.append((path, number, json.loads(line)))
    return cases


def action_of(case):
    return case["action"] if "action" in case else {"steps": [case["step"]]}


def events_of(case):
    return case["events"] if "events" in case else [case["event"]]


def expected_count(case):
    if "expect_count" in case:
        return case["expect_count"]
    return 1 if case["matches"] else 0


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def batch_of(case, sender):
    """The case's events as capture events: a fresh uuid each, the case's sender and the time
    of sending unless given, the case's person properties as $set on the first one."""
    batch = []
    for index, given in enumerate(events_of(case)):
        properties = json.loads(json.dumps(given.get("properties", {})))  # a copy to change
        if index == 0 and case.get("person"):
            properties.setdefault("$set", case["person"])
        sent = {"event": given["event"], "distinct_id": sender, "uuid": str(uuid.uuid4()),
                "timestamp": now_iso(), "properties": properties}
        sent.update({k: given[k] for k in TOP_LEVEL_EVENT_FIELDS if k in given})
        batch.append(sent)
    return batch


def expected_people(case, sender):
    if "expect_people" in case:
        return case["expect_people"]
    if expected_count(case) == 0:
        return []
    return [e.get("distinct_id", sender) for e in events_of(case)
            if e.get("properties", {}).get("$process_person_profile") is not False]


class ConformanceCases(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def call(self, method, path, body=None, want=(200,)):
        r = self.srv.api(method, path, body)
        self.assertIn(r.status, want, "%s %s: %r" % (method, path, r))
        return r.json()

    def create_action(self, project, body):
        return self.call("POST", "/api/projects/%d/actions/" % project, body, want=(201,))

    def wait_calculated(self, project, action_id):
        deadline = time.monotonic() + BACKFILL_TIMEOUT_S
        while True:
            action = self.call("GET", "/api/projects/%d/actions/%d/" % (project, action_id))
            if action["is_calculating"] is False:
                return
            if time.monotonic() > deadline:
                self.fail("backfill of action %d still calculating after %.0f s" %
                          (action_id, BACKFILL_TIMEOUT_S))
            time.sleep(0.02)

    def count(self, project, action_id):
        return self.call("GET", "/api/projects/%d/actions/%d/count/" % (project, action_id))["count"]

    def people(self, project, action_id):
        """Every distinct id of every person the people endpoint lists (all pages)."""
        path = ("/api/projects/%d/actions/people/?entity_id=%d&entity_type=actions&date_from=all"
                % (project, action_id))
        ids = []
        for _ in range(1000):
            page = self.call("GET", path)
            for bucket in page["results"]:
                for person in bucket["people"]:
                    ids.extend(person["distinct_ids"])
            if not page.get("next"):
                return ids
            next_url = urllib.parse.urlsplit(page["next"])
            path = next_url.path + "?" + next_url.query
        self.fail("too many pages of people")

    def check_case(self, number, case):
        project = self.call("POST", "/api/projects/", {"name": "case %d" % number},
                            want=(201,))
        pid = project["id"]
        action = dict(action_of(case), name=case["name"][:190])
        live = self.create_action(pid, action)
        sender = "conformance-sender-%d" % number
        batch = batch_of(case, sender)
        r = self.srv.capture(batch, token=project["api_token"])
        self.assertEqual(r.status, 200, "POST /batch/: %r" % r)

        want = expected_count(case)
        self.assertEqual(self.count(pid, live["id"]), want, "live count")
        # Explain runs the matcher's own evaluation on each stored event (docs/api.md §10): its
        # verdicts add up to the count.
        explain = "/api/projects/%d/actions/%d/explain/" % (pid, live["id"])
        explained = sum(self.call("POST", explain, {"uuid": e["uuid"]})["matched"] for e in batch)
        self.assertEqual(explained, want, "explained matches")

        backfilled = self.create_action(pid, dict(action, name=case["name"][:180] + " (backfill)"))
        self.wait_calculated(pid, backfilled["id"])
        self.assertEqual(self.count(pid, backfilled["id"]), want, "backfilled count")

        people = expected_people(case, sender)
        if people:
            for which, action_id in (("live", live["id"]), ("backfilled", backfilled["id"])):
                listed = self.people(pid, action_id)
                self.assertTrue(set(people) & set(listed),
                                "%s people %r list none of %r" % (which, listed, people))

    def test_every_case(self):
        cases = load_cases(case_files or [DEFAULT_CASES])
        self.assertTrue(cases, "no cases")
        names = [case["name"] for _, _, case in cases]
        self.assertEqual(len(names), len(set(names)), "case names must be unique")
        for path, number, case in cases:
            with self.subTest("%s:%d %s" % (os.path.basename(path), number, case["name"])):
                self.check_case(number, case)


def take_case_files():
    """Moves the *.jsonl arguments into case_files; server.main() reads the rest."""
    keep = [sys.argv[0]]
    for arg in sys.argv[1:]:
        (case_files if arg.endswith(".jsonl") else keep).append(arg)
    sys.argv = keep


if __name__ == "__main__":
    take_case_files()
    server.main()
