"""Black-box tests of the read APIs: events and persons in PostHog's shapes, their filters and
pagination, and the personal-key checks in front of them."""

import json
import unittest
import urllib.parse
import uuid as uuidlib

import server
from server import event


class ReadApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()
        s = cls.srv
        # 30 events over 3 distinct ids; 10 share one millisecond (pagination must not lose them).
        cls.events = []
        for i in range(30):
            ts = "2024-03-01T00:00:%02d.000Z" % (i if i < 20 else 20)
            cls.events.append(event("view" if i % 2 else "click", "reader-%d" % (i % 3),
                                    timestamp=ts, properties={"i": i, "$current_url": "/p"}))
        cls.events.append(event("$identify", "reader-0", timestamp="2024-03-02T00:00:00.000Z",
                                properties={"$anon_distinct_id": "anon-reader",
                                            "$set": {"email": "reader@example.com"}}))
        r = s.capture(cls.events)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def get(self, path, key=None):
        return self.srv.api("GET", path, key=key)

    # --- events ----------------------------------------------------------------------------

    def test_event_shape(self):
        r = self.get("/api/projects/1/events/?limit=1")
        self.assertEqual(r.status, 200, r)
        page = r.json()
        self.assertEqual(set(page), {"next", "results"})
        [e] = page["results"]
        self.assertEqual(set(e), {"id", "uuid", "event", "distinct_id", "properties", "timestamp",
                                  "person_id", "elements_chain"})
        self.assertEqual(e["event"], "$identify")  # the newest
        self.assertEqual(e["id"], e["uuid"])
        self.assertEqual(e["timestamp"], "2024-03-02T00:00:00.000Z")
        self.assertIsInstance(e["person_id"], str)
        self.assertTrue(page["next"].startswith("http://127.0.0.1:%d/api/projects/1/events/?"
                                                % self.srv.port))

    def test_events_newest_first_and_pagination_loses_nothing(self):
        got = self.srv.events(limit=7)
        self.assertEqual(len(got), len(self.events))
        self.assertEqual({e["uuid"] for e in got}, {e["uuid"] for e in self.events})
        stamps = [e["timestamp"] for e in got]
        self.assertEqual(stamps, sorted(stamps, reverse=True))

    def test_event_and_distinct_id_filters(self):
        clicks = self.srv.events(event="click")
        self.assertEqual(len(clicks), 15)
        self.assertTrue(all(e["event"] == "click" for e in clicks))
        mine = self.srv.events(distinct_id="reader-1")
        self.assertEqual(len(mine), 10)
        both = self.srv.events(distinct_id="reader-1", event="view")
        self.assertEqual(len(both), len([e for e in self.events
                                         if e["distinct_id"] == "reader-1" and
                                         e["event"] == "view"]))

    def test_after_and_before_are_exclusive(self):
        got = self.srv.events(after="2024-03-01T00:00:05.000Z", before="2024-03-01T00:00:10.000Z")
        self.assertEqual(sorted(e["properties"]["i"] for e in got), [6, 7, 8, 9])
        self.assertEqual(len(self.srv.events(after="2024-03-01T00:00:20.000Z")), 1)

    def test_bad_dates_and_limits(self):
        r = self.get("/api/projects/1/events/?after=yesterday")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["attr"], "after")
        # A limit that is not 1 to 10,000 is refused, naming the maximum (docs/api.md §4).
        for limit in ("-1", "abc", "0", "10001"):
            r = self.get("/api/projects/1/events/?limit=" + limit)
            self.assertEqual(r.status, 400, r)
            self.assertEqual(r.json()["attr"], "limit")
            self.assertIn("10000", r.json()["detail"])

    # --- persons ---------------------------------------------------------------------------

    def test_persons_list_shape_and_pagination(self):
        r = self.get("/api/projects/1/persons/?limit=2")
        self.assertEqual(r.status, 200, r)
        page = r.json()
        self.assertEqual(set(page), {"count", "next", "previous", "results"})
        self.assertEqual(page["count"], 3)
        self.assertEqual(len(page["results"]), 2)
        self.assertIsNone(page["previous"])
        nxt = urllib.parse.urlsplit(page["next"])
        self.assertEqual(urllib.parse.parse_qs(nxt.query), {"limit": ["2"], "offset": ["2"]})
        page2 = self.get(nxt.path + "?" + nxt.query).json()
        self.assertEqual(len(page2["results"]), 1)
        self.assertIsNone(page2["next"])
        self.assertIsNotNone(page2["previous"])
        ids = {p["uuid"] for p in page["results"] + page2["results"]}
        self.assertEqual(len(ids), 3)
        p = page["results"][0]
        self.assertEqual(set(p), {"id", "uuid", "name", "distinct_ids", "properties",
                                  "created_at", "is_identified"})
        self.assertEqual(p["id"], p["uuid"])

    def test_person_by_distinct_id_and_uuid(self):
        r = self.get("/api/projects/1/persons/?distinct_id=anon-reader")
        [p] = r.json()["results"]
        self.assertEqual(sorted(p["distinct_ids"]), ["anon-reader", "reader-0"])
        self.assertEqual(p["name"], "reader@example.com")
        self.assertTrue(p["is_identified"])
        one = self.get("/api/projects/1/persons/%s/" % p["uuid"])
        self.assertEqual(one.status, 200)
        self.assertEqual(one.json(), p)
        events = self.srv.events(distinct_id="reader-0")
        self.assertTrue(all(e["person_id"] == p["uuid"] for e in events))
        self.assertEqual(self.get("/api/projects/1/persons/?distinct_id=nobody").json()["count"], 0)
        self.assertEqual(self.get("/api/projects/1/persons/%s/" % uuidlib.uuid4()).status, 404)

    # --- auth ------------------------------------------------------------------------------

    def test_auth_errors(self):
        for path in ("/api/projects/1/events/", "/api/projects/1/persons/"):
            with self.subTest(path=path):
                r = self.srv.request("GET", path)
                self.assertEqual(r.status, 401)
                self.assertEqual(r.json()["code"], "not_authenticated")
                r = self.get(path, key="phx_wrong")
                self.assertEqual(r.status, 401)
                self.assertEqual(r.json()["code"], "authentication_failed")
                r = self.get(path, key=self.srv.project_token)
                self.assertEqual(r.status, 401)
                r = self.srv.request("GET", path + "?personal_api_key=" + self.srv.personal_key)
                self.assertEqual(r.status, 200)
        self.assertEqual(self.get("/api/projects/999/events/").status, 404)
        self.assertEqual(self.get("/api/projects/@current/events/?limit=1").status, 200)

    def test_scopes_and_scoped_projects(self):
        def key(scopes, teams=()):
            r = self.srv.api("POST", "/api/personal_api_keys/",
                             {"label": "k", "scopes": scopes, "scoped_teams": list(teams)})
            self.assertEqual(r.status, 201, r)
            return r.json()["value"]

        reader = key(["action:read"])
        self.assertEqual(self.get("/api/projects/1/events/?limit=1", key=reader).status, 200)
        self.assertEqual(self.get("/api/projects/1/persons/", key=reader).status, 200)
        writer = key(["action:write"])
        self.assertEqual(self.get("/api/projects/1/persons/", key=writer).status, 200)
        other = key(["feature_flag:read"])
        r = self.get("/api/projects/1/events/", key=other)
        self.assertEqual(r.status, 403)
        self.assertIn("event:read", r.json()["detail"])
        p2 = self.srv.api("POST", "/api/projects/", {"name": "Second"}).json()["id"]
        scoped = key(["*"], [p2])
        r = self.get("/api/projects/1/events/", key=scoped)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["code"], "permission_denied")
        self.assertEqual(self.get("/api/projects/%d/events/" % p2, key=scoped).status, 200)


if __name__ == "__main__":
    server.main()
