"""Black-box tests of explain (docs/api.md §10): both endpoints, stored and posted events, scopes,
the 400s and 404s, and agreement with the count. The section's examples run with every other
example of docs/api.md in tests/blackbox/docs_examples_test.py.

    python3 tests/blackbox/explain_test.py --bin build/actiond
"""

import unittest
import uuid as uuidlib

import server
from server import Server, event


STEPS = [{"event": "$pageview", "url": "/pricing"},
         {"event": "$autocapture", "tag_name": "a", "text": "Pricing",
          "properties": [{"key": "plan", "value": "pro", "type": "person"}]}]


class ExplainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server().start()
        r = cls.srv.api("POST", "/api/projects/1/actions/", {"name": "Pricing", "steps": STEPS})
        assert r.status == 201, r
        cls.action = r.json()["id"]

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def explain(self, body, action=None, project=1, key=None):
        path = ("/api/projects/%s/actions/%s/explain/" % (project, action) if action is not None
                else "/api/projects/%s/actions/explain/" % project)
        return self.srv.api("POST", path, body, key=key)

    def new_key(self, scopes):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "k", "scopes": scopes, "scoped_teams": []})
        self.assertEqual(r.status, 201, r)
        return r.json()["value"]

    def assert_error(self, r, status, code, attr):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual((body["code"], body["attr"]), (code, attr), body)
        self.assertTrue(body["detail"])

    def test_stored_event_uses_the_person_properties_it_was_stored_with(self):
        pro, free = str(uuidlib.uuid4()), str(uuidlib.uuid4())
        chain = 'a.nav:href="/pricing"text="Pricing"'
        r = self.srv.capture([
            event("$autocapture", "pro-user", uuid=pro, elements_chain=chain,
                  **{"$set": {"plan": "pro"}}),
            event("$autocapture", "free-user", uuid=free, elements_chain=chain,
                  **{"$set": {"plan": "free"}})])
        self.assertEqual(r.status, 200, r)
        yes = self.explain({"uuid": pro.upper()}, self.action).json()
        self.assertTrue(yes["matched"], yes)
        step = yes["steps"][1]
        self.assertTrue(step["matched"])
        tag = step["conditions"][1]
        self.assertEqual((tag["field"], tag["element_index"], tag["actual"]), ("tag_name", 0, "a"))
        no = self.explain({"uuid": free}, self.action).json()
        self.assertFalse(no["matched"])
        person = no["steps"][1]["conditions"][3]
        self.assertEqual((person["field"], person["type"], person["actual"], person["passed"]),
                         ("properties__0", "person", "free", False))

    def test_explain_agrees_with_the_count(self):
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "Docs or signup",
                          "steps": [{"event": "signup"}, {"url": "/docs", "url_matching": "contains"}]})
        self.assertEqual(r.status, 201, r)
        action = r.json()["id"]
        events = [event("signup", "a"), event("$pageview", "b", properties={"$current_url": "/docs/x"}),
                  event("$pageview", "c", properties={"$current_url": "/blog"}),
                  event("other", "d")]
        self.assertEqual(self.srv.capture(events).status, 200)
        explained = sum(self.explain({"uuid": e["uuid"]}, action).json()["matched"] for e in events)
        count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action).json()["count"]
        self.assertEqual(explained, 2)
        self.assertEqual(count, explained)

    def test_unsaved_steps_answer_without_saving_anything(self):
        before = self.srv.api("GET", "/api/projects/1/actions/").json()["count"]
        r = self.explain({"steps": [{"event": "$pageview"}],
                          "event": {"event": "$pageview", "distinct_id": "x"}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"matched": True, "steps": [{"index": 0, "matched": True,
            "conditions": [{"field": "event", "expected": "$pageview", "actual": "$pageview",
                            "passed": True, "reason": "the event is \"$pageview\""}]}]})
        self.assertEqual(self.srv.api("GET", "/api/projects/1/actions/").json()["count"], before)
        # No steps at all: valid for a create, and nothing matches.
        r = self.explain({"event": {"event": "e", "distinct_id": "x"}})
        self.assertEqual(r.json(), {"matched": False, "steps": []})

    def test_unsaved_steps_are_validated_as_a_create_validates_them(self):
        subject = {"event": {"event": "e", "distinct_id": "x"}}
        for steps in ([{"url": "/x", "url_matching": "nope"}],
                      [{"event": "e"}, {"properties": [{"key": "a", "operator": "gt", "value": "x"}]}],
                      [{"selector": "a:hover"}],
                      [{"properties": [{"value": 1}]}],
                      "not a list"):
            created = self.srv.api("POST", "/api/projects/1/actions/",
                                   {"name": "n-%s" % uuidlib.uuid4(), "steps": steps})
            explained = self.explain(dict(subject, steps=steps))
            self.assertEqual(created.status, 400, created)
            self.assertEqual(explained.status, 400, explained)
            self.assertEqual({k: explained.json()[k] for k in ("type", "code", "attr")},
                             {k: created.json()[k] for k in ("type", "code", "attr")}, steps)

    def test_bad_requests_name_the_field(self):
        a = self.action
        self.assert_error(self.explain({}, a), 400, "required", "uuid")
        self.assert_error(self.explain({"uuid": None, "event": None}, a), 400, "required", "uuid")
        self.assert_error(self.explain({"uuid": 5}, a), 400, "invalid_input", "uuid")
        self.assert_error(self.explain({"uuid": str(uuidlib.uuid4()),
                                        "event": {"event": "e", "distinct_id": "x"}}, a),
                          400, "invalid_input", "uuid")
        self.assert_error(self.explain({"event": "e"}, a), 400, "invalid_input", "event")
        self.assert_error(self.explain({"event": {"event": "e"}}, a), 400, "invalid_input", "event")
        self.assert_error(self.explain({"event": {"event": 7, "distinct_id": "x"}}, a),
                          400, "invalid_input", "event")
        self.assert_error(self.explain({"event": {"event": "e", "distinct_id": "x"},
                                        "person_properties": [1]}, a),
                          400, "invalid_input", "person_properties")
        big = {"event": {"event": "e", "distinct_id": "x", "properties": {"p": "x" * (1100 * 1024)}}}
        self.assert_error(self.explain(big, a), 400, "invalid_input", "event")
        self.assert_error(self.explain("{not json", a), 400, "parse_error", None)
        self.assert_error(self.explain("[1]", a), 400, "parse_error", None)

    def test_unknown_uuid_action_or_project_is_404(self):
        self.assert_error(self.explain({"uuid": str(uuidlib.uuid4())}, self.action),
                          404, "not_found", None)
        ok = {"event": {"event": "e", "distinct_id": "x"}}
        self.assert_error(self.explain(ok, 999999), 404, "not_found", None)
        self.assert_error(self.explain(ok, "abc"), 404, "not_found", None)
        self.assertEqual(self.explain(ok, self.action, project=424242).status, 404)

    def test_reading_scope_suffices_and_no_scope_is_refused(self):
        ok = {"event": {"event": "e", "distinct_id": "x"}}
        reader = self.new_key(["action:read"])
        self.assertEqual(self.explain(ok, self.action, key=reader).status, 200)
        self.assertEqual(self.explain(dict(ok, steps=[]), key=reader).status, 200)
        other = self.new_key(["person:read"])
        self.assertEqual(self.explain(ok, self.action, key=other).status, 403)
        self.assertEqual(self.explain(ok, self.action, key="phx_nope").status, 401)

    def test_soft_deleted_action_is_still_explained(self):
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "gone-%s" % uuidlib.uuid4(), "steps": [{"event": "e"}]})
        action = r.json()["id"]
        self.assertEqual(self.srv.api("PATCH", "/api/projects/1/actions/%d/" % action,
                                      {"deleted": True}).status, 200)
        r = self.explain({"event": {"event": "e", "distinct_id": "x"}}, action)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["matched"])


if __name__ == "__main__":
    server.main()
