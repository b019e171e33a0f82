"""Black-box tests of start-up (default project, admin, start-up key), projects and personal
API keys."""

import os
import re
import shutil
import tempfile
import unittest

import server
from server import event


class AccountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server(env={"ACTIOND_ADMIN_EMAIL": "ops@example.com"}).start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_default_project_and_current(self):
        for path in ("/api/projects/1/", "/api/projects/@current/", "/api/projects/1"):
            r = self.srv.api("GET", path)
            self.assertEqual(r.status, 200, r)
            p = r.json()
            self.assertEqual(p["id"], 1)
            self.assertEqual(p["name"], "Default project")
            self.assertEqual(p["api_token"], self.srv.project_token)
            self.assertRegex(p["created_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(self.srv.api("GET", "/api/projects/77/").status, 404)
        self.assertEqual(self.srv.api("GET", "/api/projects/abc/").status, 404)

    def test_create_and_list_projects(self):
        r = self.srv.api("POST", "/api/projects/", {"name": "Shop"})
        self.assertEqual(r.status, 201, r)
        p = r.json()
        self.assertEqual(set(p), {"id", "name", "api_token", "created_at", "slack_incoming_webhook"})
        self.assertIsNone(p["slack_incoming_webhook"])
        self.assertEqual(p["name"], "Shop")
        self.assertTrue(p["api_token"].startswith("phc_"))
        self.assertEqual(len(p["api_token"]), 47)
        # Its token captures into it, not into project 1.
        d = "shop-user"
        self.assertEqual(self.srv.capture([event("buy", d)], token=p["api_token"]).status, 200)
        self.assertEqual(len(self.srv.events(project=p["id"], distinct_id=d)), 1)
        self.assertEqual(self.srv.events(project=1, distinct_id=d), [])
        listing = self.srv.api("GET", "/api/projects/").json()
        self.assertEqual(set(listing), {"count", "next", "previous", "results"})
        self.assertIn(p, listing["results"])
        self.assertEqual(listing["count"], len(listing["results"]))

    def test_project_validation(self):
        for body in ({}, {"name": ""}, {"name": 5}, {"name": "x" * 201}):
            with self.subTest(body=body):
                r = self.srv.api("POST", "/api/projects/", body)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json()["attr"], "name")
        r = self.srv.api("POST", "/api/projects/", "{not json")
        self.assertEqual(r.status, 400)

    def test_personal_key_lifecycle(self):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "ci", "scopes": ["action:read", "action:write"],
                          "scoped_teams": [1]})
        self.assertEqual(r.status, 201, r)
        key = r.json()
        value = key["value"]
        self.assertTrue(value.startswith("phx_"))
        self.assertEqual(key["scopes"], ["action:read", "action:write"])
        self.assertEqual(key["scoped_teams"], [1])
        self.assertEqual(key["mask_value"], value[:4] + "..." + value[-4:])
        # It works, listings never show a value, and a delete revokes it at once.
        self.assertEqual(self.srv.api("GET", "/api/projects/1/events/", key=value).status, 200)
        listing = self.srv.api("GET", "/api/personal_api_keys/")
        self.assertEqual(listing.status, 200)
        self.assertIn(key["id"], [k["id"] for k in listing.json()])
        self.assertNotIn(value.encode(), listing.body)
        self.assertNotIn("value", self.srv.api("GET", "/api/personal_api_keys/%d/" % key["id"]).json())
        self.assertEqual(self.srv.api("DELETE", "/api/personal_api_keys/%d/" % key["id"]).status, 204)
        r = self.srv.api("GET", "/api/projects/1/events/", key=value)
        self.assertEqual(r.status, 401)
        self.assertEqual(self.srv.api("DELETE", "/api/personal_api_keys/%d/" % key["id"]).status, 404)

    def test_key_validation_and_scope(self):
        for body, attr in (({"scopes": ["*"]}, "label"), ({"label": "x"}, "scopes"),
                           ({"label": "x", "scopes": ["bogus"]}, "scopes"),
                           ({"label": "x", "scopes": ["*"], "scoped_teams": [999]},
                            "scoped_teams")):
            with self.subTest(body=body):
                r = self.srv.api("POST", "/api/personal_api_keys/", body)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json()["attr"], attr)
        weak = self.srv.api("POST", "/api/personal_api_keys/",
                            {"label": "weak", "scopes": ["action:read"]}).json()["value"]
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "x", "scopes": ["*"]}, key=weak)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.srv.api("POST", "/api/projects/", {"name": "n"}, key=weak).status,
                         403)

    def test_users_me(self):
        r = self.srv.api("GET", "/api/users/@me/")
        self.assertEqual(r.status, 200, r)
        u = r.json()
        self.assertEqual(u["id"], 1)
        self.assertEqual(u["email"], "ops@example.com")
        self.assertEqual(u["first_name"], "Admin")
        self.assertTrue(u["is_email_verified"])
        self.assertEqual(set(u), {"id", "uuid", "distinct_id", "first_name", "email",
                                  "is_email_verified"})


class StartupTest(unittest.TestCase):
    """Secrets made at first start are printed once; state survives restarts."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="actiond-bb-startup-")
        self.data = os.path.join(self.dir, "data")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, **kw):
        s = server.Server(data_dir=self.data, **kw).start()
        self.servers.append(s)
        return s

    def test_generated_secrets_are_printed_once_and_keep_working(self):
        s = self.start(project_token=None, personal_key=None)
        out = s.stdout()
        token = re.search(r"(phc_[A-Za-z0-9_-]{43})", out)
        key = re.search(r"(phx_[A-Za-z0-9_-]{43})", out)
        self.assertTrue(token and key, out)
        s.personal_key, s.project_token = key.group(1), token.group(1)
        self.assertEqual(s.api("GET", "/api/projects/1/").json()["api_token"], token.group(1))
        self.assertEqual(s.capture([event("x", "first")]).status, 200)
        self.assertEqual(s.stop(), 0)

        again = self.start(project_token=None, personal_key=None)
        self.assertNotIn("phx_", again.stdout())
        self.assertNotIn("phc_", again.stdout())
        again.personal_key, again.project_token = key.group(1), token.group(1)
        self.assertEqual(len(again.events(distinct_id="first")), 1)

    def test_env_key_given_later_is_added_and_old_state_kept(self):
        s = self.start()
        self.assertEqual(s.capture([event("x", "kept")]).status, 200)
        self.assertEqual(s.stop(), 0)
        new_key = "phx_later_" + os.urandom(16).hex()  # a key must have 32+ chars after phx_
        again = self.start(personal_key=new_key)
        self.assertEqual(len(again.events(distinct_id="kept")), 1)
        old = again.api("GET", "/api/projects/1/", key=server.PERSONAL_KEY)
        self.assertEqual(old.status, 200)

    def test_sigterm_exits_zero(self):
        s = self.start()
        self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    server.main()
