"""Black-box tests of the Actions REST API (docs/api.md §9): every endpoint, status code and
error shape, auth and cross-project isolation, CSV, live matching and backfill, against a real
actiond on a free port with a temporary data dir.

    python3 tests/blackbox/actions_api_test.py --bin build/actiond
"""

import csv
import datetime
import io
import time
import unittest
import urllib.parse

import server
from server import Server, event

SEED_FIELDS = {"id", "name", "description", "tags", "post_to_slack", "slack_message_format",
               "steps", "created_at", "created_by", "deleted", "is_calculating",
               "last_calculated_at", "team_id", "is_action"}
STEP_FIELDS = {"id", "event", "tag_name", "text", "text_matching", "href", "href_matching",
               "selector", "url", "url_matching", "name", "properties"}
USER_FIELDS = {"id", "uuid", "distinct_id", "first_name", "email", "is_email_verified"}
PERSON_FIELDS = {"id", "uuid", "name", "distinct_ids", "properties", "created_at",
                 "is_identified"}


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class ActionsApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server().start()
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    # --- helpers -----------------------------------------------------------------------------

    def new_project(self):
        r = self.srv.api("POST", "/api/projects/", {"name": "p%d" % time.monotonic_ns()})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def new_key(self, scopes, teams=()):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "k", "scopes": list(scopes), "scoped_teams": list(teams)})
        self.assertEqual(r.status, 201, r)
        return r.json()["value"]

    def unique_name(self, prefix="action"):
        ActionsApiTest.n += 1
        return "%s %d" % (prefix, ActionsApiTest.n)

    def create(self, project, body, key=None):
        r = self.srv.api("POST", "/api/projects/%s/actions/" % project, body, key=key)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def wait_calculated(self, project, action_id, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            a = self.srv.api("GET", "/api/projects/%s/actions/%s/" % (project, action_id)).json()
            if a["is_calculating"] is False:
                return a
            time.sleep(0.05)
        self.fail("backfill of action %s still running after %d s" % (action_id, timeout))

    def count(self, project, action_id, query=""):
        r = self.srv.api("GET", "/api/projects/%s/actions/%s/count/%s" % (project, action_id, query))
        self.assertEqual(r.status, 200, r)
        return r.json()["count"]

    def send(self, project, events):
        r = self.srv.capture(events, token=project["api_token"])
        self.assertEqual(r.status, 200, r)

    def assertError(self, r, status, type_, code, attr=None, detail_contains=None):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(set(body), {"type", "code", "detail", "attr"}, body)
        self.assertEqual(body["type"], type_, body)
        self.assertEqual(body["code"], code, body)
        self.assertEqual(body["attr"], attr, body)
        if detail_contains:
            self.assertIn(detail_contains, body["detail"])

    # --- create ------------------------------------------------------------------------------

    def test_create_answers_201_with_every_field_of_the_seed(self):
        p = self.new_project()
        a = self.create(p["id"], {"name": "Signed up", "description": "d", "tags": ["t"],
                                  "post_to_slack": True, "slack_message_format": "m",
                                  "steps": [{"event": "signup", "url": "/welcome",
                                             "url_matching": "exact"}]})
        self.assertEqual(set(a), SEED_FIELDS)
        self.assertEqual(set(a["steps"][0]), STEP_FIELDS)
        self.assertEqual(set(a["created_by"]), USER_FIELDS)
        self.assertEqual(a["created_by"]["id"], 1)
        self.assertEqual(a["created_by"]["email"], "admin@localhost")
        self.assertIsInstance(a["steps"][0]["id"], str)
        self.assertEqual((a["name"], a["description"], a["tags"], a["post_to_slack"]),
                         ("Signed up", "d", ["t"], True))
        self.assertEqual((a["steps"][0]["event"], a["steps"][0]["url"],
                          a["steps"][0]["url_matching"]), ("signup", "/welcome", "exact"))
        self.assertEqual(a["team_id"], p["id"])
        self.assertIs(a["is_action"], True)
        self.assertIs(a["deleted"], False)
        datetime.datetime.strptime(a["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ")

    def test_create_validation_errors_have_posthogs_shape(self):
        p = self.new_project()["id"]
        path = "/api/projects/%s/actions/" % p
        self.assertError(self.srv.api("POST", path, {"steps": []}), 400, "validation_error",
                         "required", "name")
        self.assertError(self.srv.api("POST", path, {"name": "   "}), 400, "validation_error",
                         "invalid_input", "name")
        self.assertError(self.srv.api("POST", path, {"name": "x" * 401}), 400,
                         "validation_error", "invalid_input", "name")
        self.assertError(
            self.srv.api("POST", path, {"name": "r", "steps": [{"url": "(", "url_matching": "regex"}]}),
            400, "validation_error", "invalid_input", "steps__0__url")
        self.assertError(
            self.srv.api("POST", path, {"name": "c", "steps": [{}, {"url_matching": "fuzzy"}]}),
            400, "validation_error", "invalid_choice", "steps__1__url_matching")
        self.assertError(self.srv.api("POST", path, {"name": 5.5}), 400, "validation_error",
                         "invalid_input", "name")
        self.assertError(self.srv.api("POST", path, "{not json",
                                      headers={"Content-Type": "application/json"}),
                         400, "invalid_request", "parse_error")
        self.assertEqual(self.srv.api("GET", path).json()["count"], 0)

    def test_names_are_unique_among_non_deleted_actions(self):
        p = self.new_project()["id"]
        first = self.create(p, {"name": "dup"})
        self.assertError(self.srv.api("POST", "/api/projects/%s/actions/" % p, {"name": "dup"}),
                         400, "validation_error", "unique", "name",
                         "already has an action with this name, ID %d" % first["id"])
        self.srv.api("PATCH", "/api/projects/%s/actions/%s/" % (p, first["id"]), {"deleted": True})
        self.create(p, {"name": "dup"})
        # Another project may use the name.
        self.create(self.new_project()["id"], {"name": "dup"})

    def test_form_encoded_bodies_as_the_seeds_curl_examples_send(self):
        p = self.new_project()["id"]
        r = self.srv.api("POST", "/api/projects/%s/actions/" % p, "name=From+a+form&post_to_slack=true",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 201, r)
        a = r.json()
        self.assertEqual((a["name"], a["post_to_slack"]), ("From a form", True))
        r = self.srv.api("PATCH", "/api/projects/%s/actions/%s/" % (p, a["id"]), "name=string",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual((r.status, r.json()["name"]), (200, "string"))

    # --- list --------------------------------------------------------------------------------

    def test_list_pages_with_absolute_links_and_leaves_out_deleted(self):
        p = self.new_project()["id"]
        ids = [self.create(p, {"name": "a%d" % i})["id"] for i in range(5)]
        self.srv.api("PATCH", "/api/projects/%s/actions/%s/" % (p, ids[4]), {"deleted": True})
        base = "/api/projects/%s/actions/" % p
        page = self.srv.api("GET", base + "?limit=2&offset=2",
                            headers={"Host": "example.test:8123"}).json()
        self.assertEqual(page["count"], 4)
        self.assertEqual([a["id"] for a in page["results"]], ids[2:4])
        self.assertEqual(page["next"], None)
        self.assertEqual(page["previous"], "http://example.test:8123%s?limit=2" % base)
        first = self.srv.api("GET", base + "?limit=2", headers={"Host": "h"}).json()
        self.assertEqual(first["next"], "http://h%s?limit=2&offset=2" % base)
        self.assertIsNone(first["previous"])
        for bad in ("limit=abc&offset=-1", "limit=0", "limit=-5&offset=x"):
            everything = self.srv.api("GET", base + "?" + bad).json()
            self.assertEqual([a["id"] for a in everything["results"]], ids[:4], bad)

    def test_list_as_csv_flattens_sorted_columns(self):
        p = self.new_project()["id"]
        self.create(p, {"name": "with, comma", "steps": [{"event": "buy"}, {"url": "/x"}]})
        r = self.srv.api("GET", "/api/projects/%s/actions/?format=csv" % p)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"), r.headers)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        header = rows[0]
        self.assertEqual(header, sorted(header))
        for column in ("id", "name", "steps.0.event", "steps.1.url", "created_by.email"):
            self.assertIn(column, header)
        row = dict(zip(header, rows[1]))
        self.assertEqual((row["name"], row["steps.0.event"], row["steps.1.url"]),
                         ("with, comma", "buy", "/x"))

    def test_current_project_and_optional_trailing_slash(self):
        a = self.create("@current", {"name": self.unique_name()})
        self.assertEqual(a["team_id"], 1)
        for path in ("/api/projects/@current/actions/%d" % a["id"],
                     "/api/projects/1/actions/%d/" % a["id"]):
            self.assertEqual(self.srv.api("GET", path).json()["id"], a["id"], path)
        self.assertEqual(self.srv.api("GET", "/api/projects/1/actions").status, 200)

    # --- retrieve, update, delete ---------------------------------------------------------------

    def test_retrieve_unknown_or_malformed_id_is_404(self):
        p = self.new_project()["id"]
        for path in ("99999", "abc", "-1"):
            self.assertError(self.srv.api("GET", "/api/projects/%s/actions/%s/" % (p, path)), 404,
                             "invalid_request", "not_found")
        self.assertError(self.srv.api("GET", "/api/projects/999999/actions/"), 404,
                         "invalid_request", "not_found")

    def test_patch_is_partial_put_needs_the_name(self):
        p = self.new_project()["id"]
        a = self.create(p, {"name": "n", "description": "d", "steps": [{"event": "e"}]})
        one = "/api/projects/%s/actions/%s/" % (p, a["id"])
        r = self.srv.api("PATCH", one, {"description": "changed"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["name"], r.json()["description"]), ("n", "changed"))
        self.assertEqual(r.json()["steps"][0]["event"], "e")
        self.assertError(self.srv.api("PUT", one, {"description": "x"}), 400, "validation_error",
                         "required", "name")
        r = self.srv.api("PUT", one, {"name": "m", "steps": [{"event": "f"}]})
        self.assertEqual((r.status, r.json()["name"], r.json()["steps"][0]["event"]),
                         (200, "m", "f"))
        self.assertError(self.srv.api("PATCH", one, {"steps": [{"selector": "a::before"}]}), 400,
                         "validation_error", "invalid_input", "steps__0__selector")
        self.assertError(self.srv.api("PATCH", "/api/projects/%s/actions/424242/" % p, {"name": "z"}),
                         404, "invalid_request", "not_found")

    def test_delete_is_not_allowed(self):
        p = self.new_project()["id"]
        a = self.create(p, {"name": "n"})
        r = self.srv.api("DELETE", "/api/projects/%s/actions/%s/" % (p, a["id"]))
        self.assertError(r, 405, "invalid_request", "method_not_allowed", None, "Hard delete")
        self.assertEqual(self.srv.api("GET", "/api/projects/%s/actions/%s/" % (p, a["id"])).status, 200)

    def test_soft_delete_keeps_the_count_and_stops_matching(self):
        p = self.new_project()
        a = self.create(p["id"], {"name": "buy", "steps": [{"event": "buy"}]})
        self.send(p, [event("buy", "u1"), event("buy", "u2")])
        one = "/api/projects/%s/actions/%s/" % (p["id"], a["id"])
        r = self.srv.api("PATCH", one, {"deleted": True})
        self.assertEqual((r.status, r.json()["deleted"]), (200, True))
        self.send(p, [event("buy", "u3")])
        self.assertEqual(self.count(p["id"], a["id"]), 2)
        self.assertEqual(self.srv.api("GET", one).json()["deleted"], True)
        self.assertEqual(self.srv.api("GET", "/api/projects/%s/actions/" % p["id"]).json()["count"], 0)
        # Undelete: matches again, and the event missed meanwhile is backfilled.
        self.srv.api("PATCH", one, {"deleted": False})
        self.wait_calculated(p["id"], a["id"])
        self.assertEqual(self.count(p["id"], a["id"]), 3)

    # --- live matching, backfill, count ------------------------------------------------------------

    def test_new_action_matches_next_event_and_backfills_old_ones(self):
        p = self.new_project()
        self.send(p, [event("buy", "old%d" % i) for i in range(30)] + [event("view", "v")])
        a = self.create(p["id"], {"name": "buy", "steps": [{"event": "buy"}]})
        self.send(p, [event("buy", "new")])
        done = self.wait_calculated(p["id"], a["id"])
        self.assertIsNotNone(done["last_calculated_at"])
        self.assertEqual(self.count(p["id"], a["id"]), 31)
        # Changing the steps recomputes; renaming does not touch the count.
        one = "/api/projects/%s/actions/%s/" % (p["id"], a["id"])
        self.srv.api("PATCH", one, {"steps": [{"event": "view"}]})
        self.wait_calculated(p["id"], a["id"])
        self.assertEqual(self.count(p["id"], a["id"]), 1)
        self.srv.api("PATCH", one, {"name": "renamed"})
        self.assertEqual(self.count(p["id"], a["id"]), 1)

    def test_count_date_ranges(self):
        p = self.new_project()
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        days = [1, 2, 10, 40, 400]
        self.send(p, [event("buy", "d", timestamp=iso(now - datetime.timedelta(days=d)))
                      for d in days] +
                  [event("buy", "d", timestamp="2024-03-18T00:00:00Z"),
                   event("buy", "d", timestamp="2024-03-18T23:59:59.999Z"),
                   event("buy", "d", timestamp="2024-03-19T00:00:00Z")])
        a = self.create(p["id"], {"name": "buy", "steps": [{"event": "buy"}]})
        self.wait_calculated(p["id"], a["id"])
        c = lambda q: self.count(p["id"], a["id"], q)
        self.assertEqual(c(""), 8)
        self.assertEqual(c("?date_from=all"), 8)
        self.assertEqual(c("?date_from=-7d"), 2)
        self.assertEqual(c("?date_from=-3m"), 4)
        self.assertEqual(c("?date_from=-1y&date_to=-3d"), 2)
        self.assertEqual(c("?date_from=2024-03-18&date_to=2024-03-18"), 2)
        self.assertEqual(c("?date_from=2024-03-18T12:00:00Z&date_to=2024-03-19T00:00:00Z"), 2)
        self.assertEqual(c("?date_from=2024-03-19&date_to=2024-03-18"), 0)
        self.assertError(self.srv.api("GET", "/api/projects/%s/actions/%s/count/?date_from=soon"
                                      % (p["id"], a["id"])),
                         400, "validation_error", "invalid_input", "date_from")
        self.assertError(self.srv.api("GET", "/api/projects/%s/actions/99999/count/" % p["id"]),
                         404, "invalid_request", "not_found")

    # --- people --------------------------------------------------------------------------------

    def test_people_lists_each_person_once_with_paging_and_csv(self):
        p = self.new_project()
        a = self.create(p["id"], {"name": "buy", "steps": [{"event": "buy"}]})
        # Timestamps order the matches (first-match order of persons).
        events = [event("buy", "anon-1", properties={"$set": {"email": "b@x.io"}}),
                  event("buy", "carol"),
                  event("buy", "carol"),
                  event("buy", "ghost", properties={"$process_person_profile": False}),
                  event("$identify", "bob", properties={"$anon_distinct_id": "anon-1"}),
                  event("buy", "bob")]
        for i, e in enumerate(events):
            e["timestamp"] = "2024-03-18T10:00:0%dZ" % i
        self.send(p, events)
        base = "/api/projects/%s/actions/people/?entity_id=%s&entity_type=actions" % (p["id"], a["id"])
        r = self.srv.api("GET", base, headers={"Host": "h"})
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(set(body), {"results", "next", "previous"})
        bucket = body["results"][0]
        self.assertEqual(bucket["count"], 2)
        self.assertEqual(set(bucket["people"][0]), PERSON_FIELDS)
        self.assertEqual(sorted(bucket["people"][0]["distinct_ids"]), ["anon-1", "bob"])
        self.assertEqual(bucket["people"][1]["distinct_ids"], ["carol"])
        self.assertIsNone(body["next"])

        page = self.srv.api("GET", base + "&limit=1", headers={"Host": "h"}).json()
        self.assertEqual(page["results"][0]["count"], 1)
        nxt = urllib.parse.urlsplit(page["next"])
        self.assertEqual((nxt.scheme, nxt.netloc), ("http", "h"))
        second = self.srv.api("GET", nxt.path + "?" + nxt.query).json()
        self.assertEqual(second["results"][0]["people"][0]["distinct_ids"], ["carol"])
        self.assertIsNone(second["next"])
        self.assertIsNotNone(second["previous"])

        same = self.srv.api("GET", "/api/projects/%s/actions/%s/people/" % (p["id"], a["id"])).json()
        self.assertEqual(same["results"], body["results"])

        r = self.srv.api("GET", base + "&format=csv")
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        self.assertEqual(len(rows), 3)
        self.assertIn("distinct_ids.0", rows[0])
        self.assertIn("properties.email", rows[0])

        self.assertEqual(self.srv.api("GET", base + "&date_from=2001-01-01&date_to=2001-01-02")
                         .json()["results"][0]["count"], 0)

    def test_people_parameter_errors(self):
        p = self.new_project()["id"]
        base = "/api/projects/%s/actions/people/" % p
        self.assertError(self.srv.api("GET", base), 400, "validation_error", "required", "entity_id")
        self.assertError(self.srv.api("GET", base + "?entity_id=x"), 400, "validation_error",
                         "invalid_input", "entity_id")
        self.assertError(self.srv.api("GET", base + "?entity_id=1&entity_type=events"), 400,
                         "validation_error", "invalid_choice", "entity_type")
        self.assertError(self.srv.api("GET", base + "?entity_id=987654"), 404, "invalid_request",
                         "not_found")

    # --- auth and isolation ----------------------------------------------------------------------

    def test_authentication_errors(self):
        path = "/api/projects/1/actions/"
        self.assertError(self.srv.request("GET", path), 401, "authentication_error",
                         "not_authenticated")
        self.assertError(self.srv.api("GET", path, key="phx_wrong_key_123456"), 401,
                         "authentication_error", "authentication_failed")
        self.assertError(self.srv.api("GET", path, key=self.srv.project_token), 401,
                         "authentication_error", "authentication_failed")
        self.assertError(self.srv.api("POST", path, {"name": "x"}, key=self.srv.project_token),
                         401, "authentication_error", "authentication_failed")
        r = self.srv.request("GET", path + "?personal_api_key=" + self.srv.personal_key)
        self.assertEqual(r.status, 200, r)

    def test_scopes_and_project_limits(self):
        a_project = self.new_project()["id"]
        b_project = self.new_project()["id"]
        action = self.create(a_project, {"name": "n", "steps": [{"event": "e"}]})
        one = "/api/projects/%s/actions/%s/" % (a_project, action["id"])

        reader = self.new_key(["action:read"])
        self.assertEqual(self.srv.api("GET", one, key=reader).status, 200)
        self.assertEqual(self.srv.api("GET", one + "count/", key=reader).status, 200)
        for method, path, body in (("POST", "/api/projects/%s/actions/" % a_project, {"name": "w"}),
                                   ("PATCH", one, {"name": "w"}),
                                   ("PUT", one, {"name": "w"}),
                                   ("DELETE", one, None)):
            self.assertError(self.srv.api(method, path, body, key=reader), 403,
                             "authentication_error", "permission_denied", None, "action:write")

        unrelated = self.new_key(["event:read"])
        self.assertError(self.srv.api("GET", one, key=unrelated), 403, "authentication_error",
                         "permission_denied", None, "action:read")

        limited = self.new_key(["action:write"], [a_project])
        self.assertEqual(self.srv.api("GET", one, key=limited).status, 200)
        self.assertEqual(self.srv.api("PATCH", one, {"description": "ok"}, key=limited).status, 200)
        self.assertError(self.srv.api("GET", "/api/projects/%s/actions/" % b_project, key=limited),
                         403, "authentication_error", "permission_denied")
        self.assertError(self.srv.api("POST", "/api/projects/%s/actions/" % b_project,
                                      {"name": "x"}, key=limited),
                         403, "authentication_error", "permission_denied")
        created = self.create(a_project, {"name": "by limited"}, key=limited)
        self.assertEqual(created["created_by"]["id"], 1)

    def test_projects_are_isolated(self):
        a, b = self.new_project(), self.new_project()
        action = self.create(a["id"], {"name": "buy", "steps": [{"event": "buy"}]})
        self.send(b, [event("buy", "in-b")])
        self.send(a, [event("buy", "in-a")])
        self.assertEqual(self.count(a["id"], action["id"]), 1)
        for path in ("%s/", "%s/count/", "%s/people/"):
            r = self.srv.api("GET", "/api/projects/%s/actions/" % b["id"] + path % action["id"])
            self.assertError(r, 404, "invalid_request", "not_found")
        self.assertError(self.srv.api("PATCH", "/api/projects/%s/actions/%s/" % (b["id"], action["id"]),
                                      {"deleted": True}), 404, "invalid_request", "not_found")
        self.assertEqual(self.srv.api("GET", "/api/projects/%s/actions/" % b["id"]).json()["count"], 0)
        people = self.srv.api("GET", "/api/projects/%s/actions/%s/people/" % (a["id"], action["id"]))
        self.assertEqual([pp["distinct_ids"] for pp in people.json()["results"][0]["people"]],
                         [["in-a"]])


class ActionsRestartTest(unittest.TestCase):
    """Actions survive a restart: they match live again at once and keep their counts."""

    def test_actions_survive_restart(self):
        srv = Server().start()
        try:
            srv.capture([event("buy", "u%d" % i) for i in range(20)])
            r = srv.api("POST", "/api/projects/1/actions/", {"name": "buy", "steps": [{"event": "buy"}]})
            action = r.json()["id"]
            deadline = time.monotonic() + 20
            while srv.api("GET", "/api/projects/1/actions/%d/" % action).json()["is_calculating"]:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.05)
            self.assertEqual(srv.stop(), 0)
            srv.start()
            srv.capture([event("buy", "after")])
            self.assertEqual(srv.api("GET", "/api/projects/1/actions/%d/count/" % action).json(),
                             {"count": 21, "is_calculating": False})
        finally:
            srv.cleanup()

    def test_backfill_interrupted_by_kill_finishes_after_restart(self):
        srv = Server().start()
        try:
            for _ in range(40):
                srv.capture([event("buy", "u%d" % i) for i in range(500)])
            r = srv.api("POST", "/api/projects/1/actions/", {"name": "buy", "steps": [{"event": "buy"}]})
            action = r.json()["id"]
            srv.kill()  # SIGKILL, most likely in the middle of the backfill
            srv.start()
            srv.capture([event("buy", "after")])
            deadline = time.monotonic() + 60
            while srv.api("GET", "/api/projects/1/actions/%d/" % action).json()["is_calculating"]:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.05)
            self.assertEqual(srv.api("GET", "/api/projects/1/actions/%d/count/" % action).json(),
                             {"count": 20001, "is_calculating": False})
        finally:
            srv.cleanup()


if __name__ == "__main__":
    server.main()
