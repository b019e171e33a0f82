"""Black-box tests of explain (docs/api.md §10): both endpoints, stored and posted events, scopes,
the 400s and 404s, agreement with the count, and every example of the Explain section run in
document order against a fresh server.

    python3 tests/blackbox/explain_test.py --bin build/actiond
"""

import json
import os
import re
import shlex
import unittest
import uuid as uuidlib

import server
from server import Server, event

ELLIPSIS = "\u2026"  # in a documented answer, stands for any value


def doc_examples():
    """(curl command, expected JSON) pairs of docs/api.md §10, in document order."""
    with open(os.path.join(server.repo_root(), "docs", "api.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("## 10. Explain"):]
    nxt = re.search(r"\n## \d+\.", section[1:])
    if nxt:
        section = section[:nxt.start() + 1]
    pairs = re.findall(r"```sh\n(.*?)```\s*```json\n(.*?)```", section, re.S)
    return [(cmd, json.loads(expected)) for cmd, expected in pairs]


def parse_curl(command, key):
    """The method, path, headers and body of one documented curl command."""
    words = shlex.split(command.replace("\\\n", " "))
    assert words[0] == "curl", command
    method, headers, body, url = "GET", {}, None, None
    i = 1
    while i < len(words):
        w = words[i]
        if w == "-X":
            method = words[i + 1]
            i += 2
        elif w == "-H":
            name, value = words[i + 1].split(":", 1)
            headers[name.strip()] = value.strip().replace("$KEY", key)
            i += 2
        elif w in ("-d", "--data"):
            body = words[i + 1]
            method = "POST" if method == "GET" else method
            i += 2
        else:
            url = w
            i += 1
    assert url.startswith("$ACTIOND/"), url
    return method, url[len("$ACTIOND"):], headers, body


def matches(expected, actual, path="$"):
    """None when `actual` fits `expected` ("…" = any value; objects need the same keys)."""
    if expected == ELLIPSIS:
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return "%s: keys %s, expected %s" % (
                path, sorted(actual) if isinstance(actual, dict) else actual, sorted(expected))
        for k in expected:
            problem = matches(expected[k], actual[k], "%s.%s" % (path, k))
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return "%s: %r, expected %r" % (path, actual, expected)
        for i, (e, a) in enumerate(zip(expected, actual)):
            problem = matches(e, a, "%s[%d]" % (path, i))
            if problem:
                return problem
        return None
    if expected != actual or type(expected) is not type(actual):
        return "%s: %r, expected %r" % (path, actual, expected)
    return None


class DocumentedExamplesTest(unittest.TestCase):
    def test_every_example_of_the_explain_section_answers_as_documented(self):
        examples = doc_examples()
        self.assertGreaterEqual(len(examples), 6)
        srv = Server().start()
        try:
            for command, expected in examples:
                method, path, headers, body = parse_curl(command, srv.personal_key)
                r = srv.request(method, path, body=body, headers=headers)
                problem = matches(expected, r.json())
                self.assertIsNone(problem, "%s\n-> %d %s" % (command, r.status, r.body[:2000]))
                if "type" in expected and "code" in expected:  # an error
                    want_status = 404 if expected["code"] == "not_found" else 400
                else:
                    want_status = 201 if "id" in expected else 200  # a create, or an answer
                self.assertEqual(r.status, want_status, command)
        finally:
            srv.cleanup()


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
