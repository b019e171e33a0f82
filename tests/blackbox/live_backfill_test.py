"""Live matching and backfill agree on every accepted event (docs/semantics.md §8.11).

The same hostile events — integers beyond 64 bits, decimals with many digits, duplicate keys,
odd Unicode and escapes, odd element chains, `$set` with huge integers, dates with microseconds,
long literal values — go through /batch/ into two projects: one whose actions exist before the
events (live matching) and one where the same actions are created afterwards (backfill). For
every action the count and the people listed must be identical, and every event one project
accepts the other accepts too.

    python3 tests/blackbox/live_backfill_test.py --bin build/actiond
"""

import json
import time
import unittest
import uuid as uuidlib

import server
from server import Server

BIG = "100000000000000000000"  # 1e20 written out: beyond 64 bits
LONG_TEXT = "Ab" * 2100  # 4,200 characters: beyond the regex cap, a literal value is fine

# Each event is the JSON text of one batch item (written by hand: Python's json cannot repeat a
# key). {uuid} is replaced by a fresh uuid per project.
HOSTILE_EVENTS = [
    '{"event": "hostile", "distinct_id": "big-1", "uuid": "{uuid}", "properties": {"n": ' + BIG +
    ', "d": 0.00030000000000000003, "neg": -123456789012345678901234567890, "inf": 1e400}}',
    '{"event": "hostile", "distinct_id": "big-2", "uuid": "{uuid}", "properties": {"n": 2e20, '
    '"d": 0.0003}, "$set": {"big": ' + BIG + ', "small": 0.00030000000000000003}}',
    # The person of big-2 now holds 1e20 written out; this record holds it (person_properties)
    # beside a many-digit decimal: it used to be stored, then unreadable to the backfill.
    '{"event": "hostile", "distinct_id": "big-2", "uuid": "{uuid}", "properties": '
    '{"d": 0.00030000000000000003}}',
    '{"event": "hostile", "distinct_id": "dup-1", "uuid": "{uuid}", "properties": {"p": 1, '
    '"q": "x", "p": 2, "$set": {"tier": "free", "tier": "pro"}}}',
    '{"event": "hostile", "distinct_id": "dup-2", "distinct_id": "dup-3", "uuid": "{uuid}", '
    '"properties": {"p": 2, "p": 1}}',
    '{"event": "hostile", "distinct_id": "uni-1", "uuid": "{uuid}", "properties": {"s": '
    '"\\u2028\\u2029\\u0000\\ud83d\\ude00 \\u212Aelvin \\u00e9", "k\\u0000": "nul key", '
    '"$current_url": "https://example.com/\\u00e9t\\u00e9?q=\\"x\\""}}',
    '{"event": "hostile", "distinct_id": "uni-2", "uuid": "{uuid}", "properties": {"s": '
    '"\\ud800 lone"}}',  # a lone surrogate: refused (the same way) by both projects
    '{"event": "$autocapture", "distinct_id": "chain-1", "uuid": "{uuid}", "properties": {}, '
    '"elements_chain": "a.btn:id=\\"x\\"class=\\"big\\"href=\\"/h\\"data-x=\\"1\\"text=\\"Go\\";'
    'div:attr__id=\\"root\\""}',
    '{"event": "$autocapture", "distinct_id": "chain-2", "uuid": "{uuid}", "properties": '
    '{"$elements_chain": "a:attr__id=\\"x\\"attr__href=\\"/h\\"text=\\"say \\\\\\"hi\\\\\\"\\";'
    'span:text=\\"unterminated"}}',
    '{"event": "$autocapture", "distinct_id": "chain-3", "uuid": "{uuid}", "properties": '
    '{"$elements": [{"tag_name": "a", "attr__id": "y", "attr__href": "/h", "$el_text": "Go", '
    '"attr__id": "x"}]}}',
    '{"event": "hostile", "distinct_id": "date-1", "uuid": "{uuid}", "properties": '
    '{"at": "2024-01-15T10:00:00.0005Z", "at2": "2024-01-15t15:00+05", "epoch": 1705312800.0005}}',
    '{"event": "hostile", "distinct_id": "long-1", "uuid": "{uuid}", "properties": {"long": "x' +
    LONG_TEXT.upper() + 'y", "v": "1.2-"}}',
    '{"event": "hostile", "distinct_id": "\\"\\"", "uuid": "{uuid}", "properties": {"n": 1}}',
]

ACTIONS = [
    {"name": "every hostile", "steps": [{"event": "hostile"}]},
    {"name": "every event", "steps": [{}]},
    {"name": "n is 1e20", "steps": [{"properties": [{"key": "n", "value": 1e20}]}]},
    {"name": "n gt 2^64", "steps": [{"properties": [
        {"key": "n", "operator": "gt", "value": 18446744073709551616}]}]},
    {"name": "d many digits", "steps": [{"properties": [
        {"key": "d", "value": 0.00030000000000000003}]}]},
    {"name": "p last wins", "steps": [{"properties": [{"key": "p", "value": 2}]}]},
    {"name": "person big", "steps": [{"properties": [
        {"key": "big", "value": 1e20, "type": "person"}]}]},
    {"name": "person tier", "steps": [{"properties": [
        {"key": "tier", "value": "pro", "type": "person", "operator": ""}]}]},
    {"name": "kelvin", "steps": [{"properties": [
        {"key": "s", "operator": "icontains", "value": "KELVIN"}]}]},
    {"name": "url contains", "steps": [{"url": "\u00e9t\u00e9%\"x\""}]},
    {"name": "selector #x", "steps": [{"selector": "#x"}]},
    {"name": "selector .big", "steps": [{"selector": ".big"}]},
    {"name": "href /h", "steps": [{"href": "/h"}]},
    {"name": "text contains", "steps": [{"text": "HI", "text_matching": "contains"}]},
    {"name": "element text", "steps": [{"properties": [
        {"key": "text", "type": "element", "value": "go", "operator": "icontains"}]}]},
    {"name": "after microsecond", "steps": [{"properties": [
        {"key": "at", "operator": "is_date_after", "value": "2024-01-15T10:00:00.000499Z"}]}]},
    {"name": "epoch after", "steps": [{"properties": [
        {"key": "epoch", "operator": "is_date_after", "value": "2024-01-15T10:00:00.000499Z"}]}]},
    {"name": "offset before", "steps": [{"properties": [
        {"key": "at2", "operator": "is_date_before", "value": "2024-01-15T10:00:00.000001Z"}]}]},
    {"name": "long icontains", "steps": [{"properties": [
        {"key": "long", "operator": "icontains", "value": LONG_TEXT}]}]},
    {"name": "long href", "steps": [{"href": "/" + "h" * 3000, "href_matching": "contains"}]},
    {"name": "1e400 is null", "steps": [{"properties": [
        {"key": "inf", "operator": "is_not_set", "value": None}]}]},
    {"name": "semver empty tail", "steps": [{"properties": [
        {"key": "v", "operator": "semver_neq", "value": "1.2.0"}]}]},
]


class LiveBackfillTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server()
        cls.s.start()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        cls.s.cleanup()

    def project(self, name):
        r = self.s.api("POST", "/api/projects/", {"name": name})
        self.assertIn(r.status, (200, 201), r)
        return r.json()["id"], r.json()["api_token"]

    def create_actions(self, pid):
        ids = []
        for action in ACTIONS:
            r = self.s.api("POST", "/api/projects/%s/actions/" % pid, action)
            self.assertIn(r.status, (200, 201), (action["name"], r))
            ids.append(r.json()["id"])
        return ids

    def ingest(self, token):
        statuses = []
        for text in HOSTILE_EVENTS:
            item = text.replace("{uuid}", str(uuidlib.uuid4()))
            body = '{"api_key": %s, "batch": [%s]}' % (json.dumps(token), item)
            r = self.s.request("POST", "/batch/", body=body,
                               headers={"Content-Type": "application/json"})
            statuses.append(r.status)
        return statuses

    def wait_calculated(self, pid, ids):
        deadline = time.time() + 60
        for action_id in ids:
            while True:
                r = self.s.api("GET", "/api/projects/%s/actions/%s/" % (pid, action_id))
                self.assertEqual(r.status, 200, r)
                if not r.json().get("is_calculating"):
                    break
                self.assertLess(time.time(), deadline, "backfill still calculating")
                time.sleep(0.1)

    def count(self, pid, action_id):
        r = self.s.api("GET", "/api/projects/%s/actions/%s/count/" % (pid, action_id))
        self.assertEqual(r.status, 200, r)
        return r.json()["count"]

    def people(self, pid, action_id):
        r = self.s.api("GET", "/api/projects/%s/actions/people/?entity_id=%s&entity_type=actions"
                       "&date_from=all" % (pid, action_id))
        self.assertEqual(r.status, 200, r)
        ids = set()
        for bucket in r.json()["results"]:
            for person in bucket["people"]:
                ids.add(tuple(sorted(person.get("distinct_ids", []))))
        return sorted(ids)

    def test_live_and_backfill_agree_for_every_action(self):
        live_pid, live_token = self.project("live")
        later_pid, later_token = self.project("backfill")
        live_ids = self.create_actions(live_pid)
        live_statuses = self.ingest(live_token)
        later_statuses = self.ingest(later_token)
        self.assertEqual(live_statuses, later_statuses)
        # Every hostile event but the lone surrogate is accepted.
        self.assertEqual([s for s in live_statuses if s != 200], [400], live_statuses)
        later_ids = self.create_actions(later_pid)
        self.wait_calculated(later_pid, later_ids)

        total = 0
        for action, live_id, later_id in zip(ACTIONS, live_ids, later_ids):
            live_count = self.count(live_pid, live_id)
            total += live_count
            self.assertEqual(live_count, self.count(later_pid, later_id), action["name"])
            self.assertEqual(self.people(live_pid, live_id), self.people(later_pid, later_id),
                             action["name"])
        accepted = len(HOSTILE_EVENTS) - 1
        self.assertEqual(self.count(live_pid, live_ids[1]), accepted)
        self.assertGreater(total, accepted)

    def test_expected_matches(self):
        pid, token = self.project("expectations")
        ids = dict(zip((a["name"] for a in ACTIONS), self.create_actions(pid)))
        self.ingest(token)
        want = {
            "n is 1e20": 1,  # 2e20 is another number
            "n gt 2^64": 2,
            "d many digits": 2,
            "p last wins": 1,  # dup-1 (p: 1 then 2); dup-2 ends with p: 1
            "person big": 2,
            "person tier": 1,
            "kelvin": 1,
            "url contains": 1,
            "selector #x": 2,  # attr__id in chain-2 and $elements, never the bare id= of chain-1
            "selector .big": 0,
            "href /h": 3,  # chain-1's href is the chain's own field
            "text contains": 1,
            "element text": 2,
            "after microsecond": 1,
            "epoch after": 1,
            "offset before": 1,
            "long icontains": 1,
            "long href": 0,
            "1e400 is null": len(HOSTILE_EVENTS) - 1,  # JSON.stringify(Infinity) is null
            "semver empty tail": len(HOSTILE_EVENTS) - 1,  # unparseable or missing: passes
        }
        for name, count in want.items():
            self.assertEqual(self.count(pid, ids[name]), count, name)


if __name__ == "__main__":
    server.main()
