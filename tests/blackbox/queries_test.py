"""Black-box tests of the queries over events and actions (docs/api.md §4 and §9): the events
API's filters (action_id from the match index, properties, person_id, event, distinct_id,
before/after, limit) and its 400s, pagination through `next`, elements_chain for `$elements`
events, counts over time (interval, timezone, distinct=persons) and counts during a slow
backfill (is_calculating with progress, then false with the final count)."""

import json
import time
import unittest
import urllib.parse

import server
from server import event

EVENTS = "/api/projects/1/events/"
ACTIONS = "/api/projects/1/actions/"


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def wait_calculated(srv, action):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not srv.api("GET", "%s%d/" % (ACTIONS, action)).json()["is_calculating"]:
            return
        time.sleep(0.05)
    raise AssertionError("backfill did not finish")


class EventsFiltersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()
        s = cls.srv
        # 60 events: 3 people, 2 plans; 20 share one millisecond (the cursor must not lose them).
        cls.events = []
        for i in range(60):
            ts = "2026-11-01T%02d:00:00.000Z" % (i % 24) if i < 40 else "2026-11-02T00:00:00.000Z"
            cls.events.append(event("buy" if i % 3 == 0 else "view", "q-%d" % (i % 3),
                                    timestamp=ts,
                                    properties={"plan": "pro" if i % 2 else "free", "i": i}))
        cls.events.append(event("$autocapture", "q-1", timestamp="2026-11-03T00:00:00.000Z",
                                properties={"$elements": [
                                    {"tag_name": "button", "$el_text": "Buy", "nth_child": 1,
                                     "nth_of_type": 1, "attr__class": "cta"},
                                    {"tag_name": "body"}]}))
        assert s.capture(cls.events).status == 200
        r = s.api("POST", ACTIONS, {"name": "Buy", "steps": [{"event": "buy"}]})
        assert r.status == 201, r
        cls.action = r.json()["id"]
        wait_calculated(s, cls.action)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def get(self, path):
        return self.srv.api("GET", path)

    def uuids(self, **params):
        return [e["uuid"] for e in self.srv.events(**params)]

    def expected(self, keep):
        chosen = [e for e in self.events if keep(e)]
        chosen.sort(key=lambda e: (e["timestamp"], e["uuid"]), reverse=True)
        return [e["uuid"] for e in chosen]

    def test_action_id_lists_the_matched_events_newest_first(self):
        self.assertEqual(self.uuids(action_id=self.action, limit=7),
                         self.expected(lambda e: e["event"] == "buy"))

    def test_matched_actions_lists_each_events_live_actions(self):
        pro = self.srv.api("POST", ACTIONS, {"name": "Pro buy", "steps": [
            {"event": "buy", "properties": [{"key": "plan", "value": "pro"}]}]}).json()["id"]
        gone = self.srv.api("POST", ACTIONS, {"name": "Gone", "steps": [{"event": "buy"}]})
        gone = gone.json()["id"]
        wait_calculated(self.srv, pro)
        wait_calculated(self.srv, gone)
        self.assertEqual(self.srv.api("PATCH", "%s%d/" % (ACTIONS, gone),
                                      {"deleted": True}).status, 200)
        try:
            listed = self.srv.events(matched_actions="true", limit=100)
            by_uuid = {e["uuid"]: e for e in self.events}
            self.assertEqual(len(listed), len(self.events))
            for e in listed:
                sent = by_uuid[e["uuid"]]
                want = []
                if sent["event"] == "buy":
                    want.append(self.action)
                    if sent["properties"]["plan"] == "pro":
                        want.append(pro)
                self.assertEqual(e["matched_actions"], want, e["uuid"])
            self.assertNotIn("matched_actions", self.srv.events(limit=1)[0])
            r = self.get(q(EVENTS, matched_actions="yes"))
            self.assertEqual((r.status, r.json()["attr"]), (400, "matched_actions"))
        finally:
            self.srv.api("PATCH", "%s%d/" % (ACTIONS, pro), {"deleted": True})

    def test_properties_filter_with_the_step_operators(self):
        props = json.dumps([{"key": "plan", "value": "pro"},
                            {"key": "i", "value": 30, "operator": "lt", "type": "event"}])
        self.assertEqual(self.uuids(properties=props),
                         self.expected(lambda e: e["properties"].get("plan") == "pro"
                                       and e["properties"].get("i", 99) < 30))
        # Combined with the match index.
        self.assertEqual(self.uuids(properties=props, action_id=self.action),
                         self.expected(lambda e: e["event"] == "buy"
                                       and e["properties"].get("plan") == "pro"
                                       and e["properties"]["i"] < 30))

    def test_person_id_event_distinct_id_and_dates(self):
        r = self.get(q("/api/projects/1/persons/", distinct_id="q-2"))
        person = r.json()["results"][0]["id"]
        self.assertEqual(self.uuids(person_id=person),
                         self.expected(lambda e: e["distinct_id"] == "q-2"))
        self.assertEqual(self.uuids(event="view", distinct_id="q-1"),
                         self.expected(lambda e: e["event"] == "view"
                                       and e["distinct_id"] == "q-1"))
        self.assertEqual(self.uuids(after="2026-11-01T20:00:00Z", before="2026-11-02T00:00:00Z"),
                         self.expected(lambda e: "2026-11-01T20:00:00.000Z" < e["timestamp"]
                                       < "2026-11-02T00:00:00.000Z"))
        self.assertEqual(self.uuids(person_id="00000000-0000-4000-8000-00000000dead"), [])

    def test_pagination_through_next_returns_every_event_once(self):
        for limit in (1, 6, 7, 1000):
            with self.subTest(limit=limit):
                got = self.uuids(limit=limit)
                self.assertEqual(len(got), len(set(got)))
                self.assertEqual(got, self.expected(lambda e: True))
        got = self.uuids(limit=2, action_id=self.action)
        self.assertEqual(got, self.expected(lambda e: e["event"] == "buy"))
        # `next` carries the property filters (re-encoded) along with the cursor.
        props = json.dumps([{"key": "plan", "value": "pro"}])
        self.assertEqual(self.uuids(limit=3, properties=props),
                         self.expected(lambda e: e["properties"].get("plan") == "pro"))

    def test_elements_chain_is_built_from_the_elements_array(self):
        [e] = self.srv.events(event="$autocapture")
        self.assertEqual(e["elements_chain"],
                         'button.cta:attr__class="cta"nth-child="1"nth-of-type="1"text="Buy";'
                         'body:nth-child="0"nth-of-type="0"')

    def test_each_bad_parameter_is_a_400_naming_it(self):
        cases = [
            ({"limit": "10001"}, "limit"),
            ({"limit": "0"}, "limit"),
            ({"offset": "5"}, "offset"),
            ({"action": "1"}, "action"),
            ({"action_id": "x"}, "action_id"),
            ({"action_id": "999"}, "action_id"),
            ({"properties": "not json"}, "properties"),
            ({"properties": json.dumps([{"key": "a", "value": "(", "operator": "regex"}])},
             "properties__0__value"),
            ({"properties": json.dumps([{"key": "a", "value": 1, "operator": "bogus"}])},
             "properties__0__operator"),
            ({"after": "yesterday"}, "after"),
            ({"before": "soon"}, "before"),
            ({"before_uuid": "x"}, "before_uuid"),
            ({"person_id": ""}, "person_id"),
            ({"format": "csv"}, "format"),
            ({"event": "buy", "select": "event"}, "select"),
        ]
        for params, attr in cases:
            with self.subTest(params=params):
                r = self.get(q(EVENTS, **params))
                self.assertEqual(r.status, 400, r)
                body = r.json()
                self.assertEqual(body["type"], "validation_error")
                self.assertEqual(body["attr"], attr)
        self.assertIn("10000", self.get(q(EVENTS, limit=10001)).json()["detail"])


class CountSeriesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()
        events = [
            event("buy", "a", timestamp="2026-10-31T23:30:00.000Z"),  # Nov 1 in Tokyo
            event("buy", "a", timestamp="2026-11-01T10:00:00.000Z"),
            event("buy", "b", timestamp="2026-11-01T10:30:00.000Z"),
            event("buy", "a", timestamp="2026-11-03T05:00:00.000Z"),
            event("buy", "c", timestamp="2026-12-01T00:00:00.000Z"),
        ]
        assert cls.srv.capture(events).status == 200
        r = cls.srv.api("POST", ACTIONS, {"name": "Buy", "steps": [{"event": "buy"}]})
        cls.action = r.json()["id"]
        wait_calculated(cls.srv, cls.action)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def count(self, **params):
        r = self.srv.api("GET", q("%s%d/count/" % (ACTIONS, self.action), **params))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def series(self, **params):
        body = self.count(**params)
        return body["count"], [(b["date"], b["count"]) for b in body["series"]]

    def test_without_interval_the_answer_is_the_count_and_is_calculating(self):
        self.assertEqual(self.count(), {"count": 5, "is_calculating": False})

    def test_days_with_empty_buckets(self):
        body = self.count(interval="day", date_from="2026-11-01", date_to="2026-11-04")
        self.assertEqual(body, {"count": 3, "interval": "day", "timezone": "UTC",
                                "is_calculating": False,
                                "series": [{"date": "2026-11-01", "count": 2},
                                           {"date": "2026-11-02", "count": 0},
                                           {"date": "2026-11-03", "count": 1},
                                           {"date": "2026-11-04", "count": 0}]})

    def test_weeks_and_months(self):
        self.assertEqual(self.series(interval="week", date_from="2026-10-25",
                                     date_to="2026-11-14"),
                         (4, [("2026-10-25", 1), ("2026-11-01", 3), ("2026-11-08", 0)]))
        self.assertEqual(self.series(interval="month", date_from="2026-10-01",
                                     date_to="2026-12-31"),
                         (5, [("2026-10-01", 1), ("2026-11-01", 3), ("2026-12-01", 1)]))

    def test_hours(self):
        total, buckets = self.series(interval="hour", date_from="2026-11-01T09:00:00Z",
                                     date_to="2026-11-01T11:59:59Z")
        self.assertEqual(total, 2)
        self.assertEqual(buckets, [("2026-11-01T09:00:00+00:00", 0),
                                   ("2026-11-01T10:00:00+00:00", 2),
                                   ("2026-11-01T11:00:00+00:00", 0)])

    def test_days_in_a_time_zone_are_its_days(self):
        total, buckets = self.series(interval="day", date_from="2026-11-01",
                                     date_to="2026-11-03", timezone="Asia/Tokyo")
        # Tokyo's Nov 1 is 10-31T15:00Z to 11-01T15:00Z: 23:30Z, 10:00Z and 10:30Z.
        self.assertEqual((total, buckets), (4, [("2026-11-01", 3), ("2026-11-02", 0),
                                                ("2026-11-03", 1)]))

    def test_distinct_persons(self):
        self.assertEqual(self.series(interval="day", date_from="2026-11-01",
                                     date_to="2026-11-03", distinct="persons"),
                         (2, [("2026-11-01", 2), ("2026-11-02", 0), ("2026-11-03", 1)]))
        self.assertEqual(self.series(interval="month", distinct="persons",
                                     date_from="2026-10-01", date_to="2026-12-31"),
                         (3, [("2026-10-01", 1), ("2026-11-01", 2), ("2026-12-01", 1)]))

    def test_bad_parameters_are_400s_naming_them(self):
        path = "%s%d/count/" % (ACTIONS, self.action)
        cases = [({"interval": "minute"}, "interval"),
                 ({"interval": "day", "timezone": "Mars/Olympus"}, "timezone"),
                 ({"interval": "day", "timezone": "../../etc/passwd"}, "timezone"),
                 ({"interval": "day", "distinct": "sessions"}, "distinct"),
                 ({"distinct": "persons"}, "distinct"),
                 ({"interval": "hour", "date_from": "2020-01-01"}, "interval"),
                 ({"bucket": "day"}, "bucket"),
                 ({"interval": "day", "date_from": "soon"}, "date_from")]
        for params, attr in cases:
            with self.subTest(params=params):
                r = self.srv.api("GET", q(path, **params))
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json()["attr"], attr)


    def test_counts_of_many_actions_in_one_request(self):
        other = self.srv.api("POST", ACTIONS, {"name": "Nothing", "steps": [{"event": "none"}]})
        other_id = other.json()["id"]
        wait_calculated(self.srv, other_id)
        ids = "%d,%d,99999,%d" % (other_id, self.action, self.action)
        r = self.srv.api("GET", q(ACTIONS + "counts/", ids=ids))
        self.assertEqual(r.status, 200, r)
        # In the order given, once each; an unknown id is left out.
        self.assertEqual(r.json(), {"results": [
            {"id": other_id, "count": 0, "is_calculating": False},
            {"id": self.action, "count": 5, "is_calculating": False}]})
        r = self.srv.api("GET", q(ACTIONS + "counts/", ids=str(self.action), interval="day",
                                  date_from="2026-11-01", date_to="2026-11-02"))
        one = self.count(interval="day", date_from="2026-11-01", date_to="2026-11-02")
        self.assertEqual(r.json()["results"], [dict({"id": self.action}, **one)])

    def test_counts_bad_parameters_are_400s_naming_them(self):
        cases = [({}, "ids", "required"), ({"ids": "1,x"}, "ids", "invalid_input"),
                 ({"ids": ",".join(str(i) for i in range(1, 202))}, "ids", "invalid_input"),
                 ({"ids": "1", "interval": "minute"}, "interval", "invalid_choice"),
                 ({"ids": "1", "bucket": "day"}, "bucket", "invalid_input")]
        for params, attr, code in cases:
            with self.subTest(params=params):
                r = self.srv.api("GET", q(ACTIONS + "counts/", **params))
                self.assertEqual(r.status, 400, r)
                self.assertEqual((r.json()["attr"], r.json()["code"]), (attr, code))


class SlowBackfillCountTest(unittest.TestCase):
    """A backfill slowed down (--backfill-chunk-events 200 --backfill-pause-ms 50) is watched
    while it runs: is_calculating with progress, then false with the final count."""

    N = 3000

    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server(args=["--backfill-chunk-events", "200",
                                      "--backfill-pause-ms", "50"]).start()
        batch = [event("buy" if i % 2 else "view", "s-%d" % (i % 50),
                       timestamp="2026-11-01T00:%02d:%02d.000Z" % (i // 60 % 60, i % 60))
                 for i in range(cls.N)]
        for start in range(0, cls.N, 1000):
            assert cls.srv.capture(batch[start:start + 1000]).status == 200

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_count_reports_progress_then_the_final_count(self):
        r = self.srv.api("POST", ACTIONS, {"name": "Buy", "steps": [{"event": "buy"}]})
        self.assertEqual(r.status, 201, r)
        created = r.json()
        self.assertTrue(created["is_calculating"])
        path = "%s%d/count/" % (ACTIONS, created["id"])
        seen_calculating = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            body = self.srv.api("GET", path).json()
            if not body["is_calculating"]:
                self.assertNotIn("progress", body)
                break
            progress = body["progress"]
            self.assertEqual(progress["events_total"], self.N)
            self.assertLessEqual(progress["events_scanned"], self.N)
            self.assertLessEqual(body["count"], self.N // 2)
            seen_calculating.append((progress["events_scanned"], body["count"]))
            action = self.srv.api("GET", "%s%d/" % (ACTIONS, created["id"])).json()
            if action["is_calculating"]:
                self.assertIn("progress", action)
            time.sleep(0.02)
        else:
            self.fail("still calculating after 30 s")
        self.assertTrue(seen_calculating, "never saw the backfill running")
        scanned = [s for s, _ in seen_calculating]
        self.assertEqual(scanned, sorted(scanned))  # progress only moves forward
        self.assertEqual(body, {"count": self.N // 2, "is_calculating": False})
        action = self.srv.api("GET", "%s%d/" % (ACTIONS, created["id"])).json()
        self.assertFalse(action["is_calculating"])
        self.assertNotIn("progress", action)
        self.assertIsNotNone(action["last_calculated_at"])


if __name__ == "__main__":
    server.main()
