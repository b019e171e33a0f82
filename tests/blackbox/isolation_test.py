"""Isolation (docs/api.md §3): a personal key scoped to project A gets 403 or 404 and none of
project B's data on every endpoint that takes a project or names one of B's objects; project
tokens never open the REST API; personal keys never open capture; deleted actions never match
or count, also after a restart.

The endpoints are the routes registered in api/app.cc (and the register functions it calls in
api/resources/: events_resource, persons_resource, projects_resource, personal_keys_resource,
users_resource and actions_resource).

    python3 tests/blackbox/isolation_test.py --bin build/actiond
"""

import datetime
import json
import time
import unittest
import urllib.parse
import uuid as uuidlib

import server
from server import Server, event

ERROR_FIELDS = {"type", "code", "detail", "attr"}

# Every REST route: (method, path template, body). {p} is a project id, {a} an action id, {u} a
# person uuid, {k} a personal key id.
REST_ROUTES = [
    ("GET", "/api/projects/{p}/", None),
    ("GET", "/api/projects/{p}/events/", None),
    ("GET", "/api/projects/{p}/events/?event=secret_b", None),
    ("GET", "/api/projects/{p}/persons/", None),
    ("GET", "/api/projects/{p}/persons/?distinct_id=b-user", None),
    ("GET", "/api/projects/{p}/persons/{u}/", None),
    ("GET", "/api/projects/{p}/actions/", None),
    ("GET", "/api/projects/{p}/actions/?format=csv", None),
    ("POST", "/api/projects/{p}/actions/", {"name": "intruder", "steps": [{"event": "x"}]}),
    ("GET", "/api/projects/{p}/actions/{a}/", None),
    ("GET", "/api/projects/{p}/actions/{a}/?format=csv", None),
    ("PATCH", "/api/projects/{p}/actions/{a}/", {"name": "hijacked"}),
    ("PATCH", "/api/projects/{p}/actions/{a}/", {"deleted": True}),
    ("PUT", "/api/projects/{p}/actions/{a}/", {"name": "hijacked", "steps": []}),
    ("DELETE", "/api/projects/{p}/actions/{a}/", None),
    ("GET", "/api/projects/{p}/actions/{a}/count/", None),
    ("GET", "/api/projects/{p}/actions/{a}/count/?date_from=all", None),
    ("GET", "/api/projects/{p}/actions/{a}/people/", None),
    ("GET", "/api/projects/{p}/actions/{a}/people/?format=csv", None),
    ("GET", "/api/projects/{p}/actions/people/?entity_id={a}&entity_type=actions", None),
]
# Routes that take no project: what they may show a key scoped elsewhere is checked apart.
GLOBAL_ROUTES = [
    ("GET", "/api/projects/", None),
    ("POST", "/api/projects/", {"name": "new"}),
    ("GET", "/api/personal_api_keys/", None),
    ("GET", "/api/personal_api_keys/{k}/", None),
    ("POST", "/api/personal_api_keys/", {"label": "x", "scopes": ["*"]}),
    ("DELETE", "/api/personal_api_keys/{k}/", None),
    ("GET", "/api/users/@me/", None),
]
CAPTURE_PATHS = ["/batch/", "/batch", "/e/", "/e", "/i/v0/e/", "/capture/", "/capture",
                 "/track/", "/track", "/engage/", "/engage"]


class IsolationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server().start()
        s = cls.srv

        def project(name):
            r = s.api("POST", "/api/projects/", {"name": name})
            assert r.status == 201, r
            return r.json()

        def key(scopes, teams):
            r = s.api("POST", "/api/personal_api_keys/",
                      {"label": "k", "scopes": scopes, "scoped_teams": teams})
            assert r.status == 201, r
            return r.json()

        cls.a, cls.b = project("project A"), project("project B")
        a, b = cls.a["id"], cls.b["id"]
        cls.key_a = key(["*"], [a])
        cls.key_b = key(["action:read"], [b])
        cls.key_a_value = cls.key_a["value"]
        # B's data, full of markers that must never appear in an answer to A's key.
        cls.secrets = ["secret_b", "b-user", "b-person@example.com", "B's action",
                       cls.b["api_token"], "b-only-property"]
        r = s.capture([event("secret_b", "b-user", properties={
            "b-only-property": 1, "$set": {"email": "b-person@example.com"}})
            for _ in range(3)], token=cls.b["api_token"])
        assert r.status == 200, r
        r = s.capture([event("visible_a", "a-user")], token=cls.a["api_token"])
        assert r.status == 200, r
        r = s.api("POST", "/api/projects/%d/actions/" % b,
                  {"name": "B's action", "steps": [{"event": "secret_b"}]})
        assert r.status == 201, r
        cls.b_action = r.json()
        r = s.api("POST", "/api/projects/%d/actions/" % a,
                  {"name": "A's action", "steps": [{"event": "visible_a"}]})
        assert r.status == 201, r
        cls.a_action = r.json()
        cls.wait_calculated(b, cls.b_action["id"])
        cls.wait_calculated(a, cls.a_action["id"])
        persons = s.api("GET", "/api/projects/%d/persons/?distinct_id=b-user" % b).json()
        cls.b_person = persons["results"][0]["uuid"]
        cls.b_state = cls.state_of_b()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    @classmethod
    def wait_calculated(cls, project, action_id, timeout=30):
        deadline = time.monotonic() + timeout
        path = "/api/projects/%s/actions/%s/" % (project, action_id)
        while cls.srv.api("GET", path).json()["is_calculating"]:
            if time.monotonic() > deadline:
                raise AssertionError("backfill of %s did not finish" % path)
            time.sleep(0.05)

    @classmethod
    def state_of_b(cls):
        """B as its own (full) key sees it: unchanged by anything A's key did."""
        s, b, act = cls.srv, cls.b["id"], cls.b_action["id"]
        action = s.api("GET", "/api/projects/%d/actions/%d/" % (b, act)).json()
        action.pop("is_calculating")
        action.pop("last_calculated_at")
        action.pop("progress", None)  # present while calculating: timing, not state
        return {
            "action": action,
            "actions": [x["id"] for x in s.api("GET", "/api/projects/%d/actions/" % b)
                        .json()["results"]],
            "count": s.api("GET", "/api/projects/%d/actions/%d/count/" % (b, act)).json()["count"],
            "events": sorted(e["uuid"] for e in s.events(project=b)),
            "persons": s.api("GET", "/api/projects/%d/persons/" % b).json()["count"],
        }

    def fill(self, template, project, action=None, person=None, key_id=None):
        return template.format(p=project, a=action or self.b_action["id"],
                               u=person or self.b_person, k=key_id or 0)

    def assertNoSecrets(self, r):
        text = r.body.decode("utf-8", "replace")
        for secret in self.secrets:
            self.assertNotIn(secret, text, "leaked %r: %r" % (secret, r))

    def assertDenied(self, r, statuses=(403, 404)):
        self.assertIn(r.status, statuses, r)
        body = r.json()
        self.assertEqual(set(body), ERROR_FIELDS, body)
        self.assertNoSecrets(r)

    # --- a key scoped to project A ----------------------------------------------------------------

    def test_key_scoped_to_a_is_denied_on_every_route_of_b(self):
        b = self.b["id"]
        for method, template, body in REST_ROUTES:
            path = self.fill(template, b)
            with self.subTest(method=method, path=path):
                r = self.srv.api(method, path, body, key=self.key_a_value)
                self.assertDenied(r, (403,))  # the project is named: PostHog says 403
        self.assertEqual(self.state_of_b(), self.b_state)

    def test_key_scoped_to_a_cannot_reach_bs_objects_through_a(self):
        # A's project in the path, B's action or person in it: 404, nothing of B.
        a = self.a["id"]
        for method, template, body in REST_ROUTES:
            if "{a}" not in template and "{u}" not in template:
                continue
            path = self.fill(template, a)
            with self.subTest(method=method, path=path):
                r = self.srv.api(method, path, body, key=self.key_a_value)
                if method == "DELETE":
                    self.assertDenied(r, (404, 405))
                elif "entity_id" in template:
                    # PostHog's people endpoint takes any id; an action of another project
                    # names nothing here.
                    self.assertIn(r.status, (200, 404), r)
                    self.assertNoSecrets(r)
                    if r.status == 200:
                        self.assertEqual(r.json()["results"][0]["people"], [])
                else:
                    self.assertDenied(r, (404,))
        self.assertEqual(self.state_of_b(), self.b_state)

    def test_key_scoped_to_a_sees_only_a_where_no_project_is_named(self):
        r = self.srv.api("GET", "/api/projects/", key=self.key_a_value)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([p["id"] for p in r.json()["results"]], [self.a["id"]])
        self.assertEqual(r.json()["count"], 1)
        self.assertNoSecrets(r)
        for query in ("?limit=1000", "?offset=1", "?limit=1&offset=0"):
            r = self.srv.api("GET", "/api/projects/" + query, key=self.key_a_value)
            self.assertEqual(r.status, 200, r)
            self.assertNoSecrets(r)
        r = self.srv.api("GET", "/api/users/@me/", key=self.key_a_value)
        self.assertEqual(r.status, 200, r)
        self.assertNoSecrets(r)
        # It cannot mint a key that reaches B, or every project.
        for teams in ([self.b["id"]], [self.a["id"], self.b["id"]], []):
            with self.subTest(scoped_teams=teams):
                r = self.srv.api("POST", "/api/personal_api_keys/",
                                 {"label": "escalate", "scopes": ["*"], "scoped_teams": teams},
                                 key=self.key_a_value)
                self.assertIn(r.status, (400, 403), r)
                self.assertEqual(set(r.json()), ERROR_FIELDS)

    def test_key_scoped_to_a_can_neither_see_nor_revoke_keys_reaching_further(self):
        # Keys reaching B, or every project, are not the A key's to list, read or revoke: a
        # key limited to A could otherwise lock B's (and the admin's) clients out.
        everything = self.srv.api("GET", "/api/personal_api_keys/").json()
        ids = {k["id"]: k for k in everything}
        self.assertIn(self.key_b["id"], ids)
        listed = self.srv.api("GET", "/api/personal_api_keys/", key=self.key_a_value)
        self.assertEqual(listed.status, 200, listed)
        for k in listed.json():
            self.assertTrue(k["scoped_teams"] and set(k["scoped_teams"]) <= {self.a["id"]}, k)
        self.assertIn(self.key_a["id"], [k["id"] for k in listed.json()])
        further = [k for k in everything if not k["scoped_teams"] or
                   not set(k["scoped_teams"]) <= {self.a["id"]}]
        self.assertIn(self.key_b["id"], [k["id"] for k in further])
        for k in further:
            for method in ("GET", "DELETE"):
                with self.subTest(method=method, key=k["id"]):
                    r = self.srv.api(method, "/api/personal_api_keys/%d/" % k["id"],
                                     key=self.key_a_value)
                    self.assertDenied(r, (404,))
        # Nothing was revoked: the B key and the start-up key still work.
        r = self.srv.api("GET", "/api/projects/%d/actions/" % self.b["id"],
                         key=self.key_b["value"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.srv.api("GET", "/api/projects/").status, 200)

    def test_a_sees_its_own_data_and_none_of_bs(self):
        a = self.a["id"]
        for method, template, body in REST_ROUTES:
            if method != "GET" or "{u}" in template:
                continue
            path = self.fill(template, a, action=self.a_action["id"])
            with self.subTest(path=path):
                r = self.srv.api(method, path, body, key=self.key_a_value)
                self.assertEqual(r.status, 200, r)
                self.assertNoSecrets(r)
        events = self.srv.api("GET", "/api/projects/%d/events/" % a, key=self.key_a_value).json()
        self.assertEqual([e["event"] for e in events["results"]], ["visible_a"])
        count = self.srv.api("GET", "/api/projects/%d/actions/%d/count/"
                             % (a, self.a_action["id"]), key=self.key_a_value).json()
        self.assertEqual(count["count"], 1)

    def test_a_key_of_b_cannot_reach_a_either(self):
        a, key = self.a["id"], self.key_b["value"]
        for method, template, body in REST_ROUTES:
            path = self.fill(template, a, action=self.a_action["id"])
            with self.subTest(method=method, path=path):
                r = self.srv.api(method, path, body, key=key)
                self.assertIn(r.status, (403, 404), r)
                self.assertNotIn(b"visible_a", r.body)
                self.assertNotIn(b"a-user", r.body)

    def test_capture_with_bs_token_lands_only_in_b(self):
        d = "b-only-" + uuidlib.uuid4().hex
        r = self.srv.capture([event("secret_b", d)], token=self.b["api_token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.srv.events(project=self.a["id"], distinct_id=d), [])
        self.assertEqual(len(self.srv.events(project=self.b["id"], distinct_id=d)), 1)
        # B's action counted it; A's did not.
        b_count = self.srv.api("GET", "/api/projects/%d/actions/%d/count/"
                               % (self.b["id"], self.b_action["id"])).json()["count"]
        a_count = self.srv.api("GET", "/api/projects/%d/actions/%d/count/"
                               % (self.a["id"], self.a_action["id"])).json()["count"]
        self.assertEqual(a_count, 1)
        self.assertEqual(b_count, self.b_state["count"] + 1)
        IsolationTest.b_state = self.state_of_b()

    # --- tokens and keys do not cross ------------------------------------------------------------

    def test_project_tokens_never_open_the_rest_api(self):
        for token in (self.a["api_token"], self.b["api_token"], self.srv.project_token):
            for method, template, body in REST_ROUTES + GLOBAL_ROUTES:
                path = self.fill(template, self.a["id"], action=self.a_action["id"], key_id=1)
                for how in ("header", "query", "body"):
                    with self.subTest(token=token[:12], method=method, path=path, how=how):
                        if how == "header":
                            r = self.srv.api(method, path, body, key=token)
                        elif how == "query":
                            sep = "&" if "?" in path else "?"
                            r = self.srv.request(method, path + sep + "personal_api_key=" +
                                                 urllib.parse.quote(token),
                                                 json.dumps(body) if body else None,
                                                 {"Content-Type": "application/json"})
                        else:
                            r = self.srv.request(method, path, json.dumps(
                                dict(body or {}, personal_api_key=token)),
                                {"Content-Type": "application/json"})
                        self.assertEqual(r.status, 401, r)
                        self.assertEqual(r.json()["code"], "authentication_failed", r)
                        self.assertNotIn(b"visible_a", r.body)
        self.assertEqual(self.state_of_b(), self.b_state)

    def test_personal_keys_never_open_capture(self):
        d = "phx-capture-" + uuidlib.uuid4().hex
        for key in (self.srv.personal_key, self.key_a_value):
            for path in CAPTURE_PATHS:
                with self.subTest(key=key[:12], path=path):
                    r = self.srv.capture([event("by_key", d)], path=path, token=key)
                    self.assertEqual(r.status, 401, r)
                    self.assertEqual(r.json()["code"], "invalid_api_key", r)
            # Each other place a token goes.
            bodies = [
                {"token": key, "batch": [event("by_key", d)]},
                {"$token": key, "batch": [event("by_key", d)]},
                [dict(event("by_key", d), api_key=key)],
                dict(event("by_key", d), properties={"token": key}),
                {"$token": key, "$distinct_id": d, "$set": {"x": 1}},
            ]
            for body in bodies:
                with self.subTest(key=key[:12], body=str(body)[:60]):
                    r = self.srv.request("POST", "/e/", json.dumps(body))
                    self.assertEqual(r.status, 401, r)
            # posthog-node's v1 mode: the token in Authorization.
            r = self.srv.request("POST", "/i/v1/analytics/events", json.dumps(
                {"batch": [event("by_key", d)]}), {"Authorization": "Bearer " + key,
                                                   "Content-Type": "application/json"})
            self.assertEqual(r.status, 401, r)
            # GET with ?data=.
            data = urllib.parse.quote(json.dumps(dict(event("by_key", d), api_key=key)))
            self.assertEqual(self.srv.request("GET", "/e/?data=" + data).status, 401)
        for project in (1, self.a["id"], self.b["id"]):
            self.assertEqual(self.srv.events(project=project, distinct_id=d), [])

    def test_revoked_key_opens_nothing(self):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "short-lived", "scopes": ["*"]})
        self.assertEqual(r.status, 201, r)
        key = r.json()
        self.assertEqual(self.srv.api("DELETE", "/api/personal_api_keys/%d/" % key["id"]).status,
                         204)
        for method, template, body in REST_ROUTES + GLOBAL_ROUTES:
            path = self.fill(template, self.b["id"], key_id=key["id"])
            with self.subTest(method=method, path=path):
                r = self.srv.api(method, path, body, key=key["value"])
                self.assertEqual(r.status, 401, r)
                self.assertNoSecrets(r)
        self.assertEqual(self.state_of_b(), self.b_state)


class DeletedActionsTest(unittest.TestCase):
    """A soft-deleted action never matches a new event and its counts do not move — live,
    through the people list, under a new action with its name, and after a restart."""

    def setUp(self):
        self.srv = Server().start()

    def tearDown(self):
        self.srv.cleanup()

    def api(self, method, path, body=None):
        r = self.srv.api(method, "/api/projects/1/actions/" + path, body)
        self.assertLess(r.status, 300, r)
        return r.json()

    def wait_calculated(self, action_id, timeout=30):
        deadline = time.monotonic() + timeout
        while self.api("GET", "%d/" % action_id)["is_calculating"]:
            self.assertLess(time.monotonic(), deadline, "backfill did not finish")
            time.sleep(0.05)

    def counts(self, action_id):
        today = datetime.datetime.utcnow().strftime("%Y-%m-%d")
        people = self.api("GET", "%d/people/?limit=1000" % action_id)["results"][0]["people"]
        return (self.api("GET", "%d/count/" % action_id)["count"],
                self.api("GET", "%d/count/?date_from=%s" % (action_id, today))["count"],
                sorted(p["distinct_ids"][0] for p in people))

    def send(self, n, prefix):
        r = self.srv.capture([event("del_e", "%s-%d" % (prefix, i)) for i in range(n)])
        self.assertEqual(r.status, 200, r)

    def test_deleted_actions_never_match_or_count(self):
        x = self.api("POST", "", {"name": "X", "steps": [{"event": "del_e"}]})["id"]
        z = self.api("POST", "", {"name": "Z", "steps": [{"event": "del_e"}]})["id"]
        self.send(3, "before")
        self.wait_calculated(x)
        self.wait_calculated(z)
        before = self.counts(x)
        self.assertEqual(before[:2], (3, 3))
        self.assertEqual(self.counts(z), before)

        for action in (x, z):
            self.assertTrue(self.api("PATCH", "%d/" % action, {"deleted": True})["deleted"])
        self.send(5, "after")
        self.assertEqual(self.counts(x), before)
        self.assertEqual(self.counts(z), before)
        listed = [a["id"] for a in self.api("GET", "")["results"]]
        self.assertNotIn(x, listed)
        self.assertNotIn(z, listed)

        # A new action with the freed name counts everything; X still does not move.
        y = self.api("POST", "", {"name": "X", "steps": [{"event": "del_e"}]})["id"]
        self.wait_calculated(y)
        self.assertEqual(self.counts(y)[:2], (8, 8))
        self.assertEqual(self.counts(x), before)

        # Changing a deleted action's steps recomputes nothing while it stays deleted: its count
        # stays what it was when it was deleted (docs/api.md §9 "Soft delete"; service/action_service.h).
        self.api("PATCH", "%d/" % x, {"steps": [{"event": "other"}, {"event": "del_e"}]})
        self.wait_calculated(x)
        self.send(2, "patched")
        self.assertEqual(self.counts(x), before)

        # After a restart the deleted action is still not in the matcher.
        self.assertEqual(self.srv.stop(), 0)
        self.srv.start()
        self.send(4, "restarted")
        self.assertEqual(self.counts(x), before)
        self.assertEqual(self.counts(z), before)  # deleted and untouched: frozen
        self.assertEqual(self.counts(y)[:2], (14, 14))

        # Undeleting brings it back and backfills what it missed (docs/api.md); its name is
        # taken by Y now, so it comes back under another.
        self.api("PATCH", "%d/" % x, {"deleted": False, "name": "X again"})
        self.wait_calculated(x)
        self.assertEqual(self.counts(x)[:2], (14, 14))


if __name__ == "__main__":
    server.main()
