"""Replays every raw SDK capture of tests/golden/sdk-captures byte for byte (request line,
headers and body as the SDK sent them) and checks what was stored: each event once, persons
merged by $identify / $create_alias.

The captures carry their own project token; the server is started with that token as the
default project's (ACTIOND_PROJECT_TOKEN), read from the decoded bodies."""

import glob
import json
import os
import unittest

import server

FIXTURES = server.fixtures_dir()


def raw_files():
    return sorted(glob.glob(os.path.join(FIXTURES, "*", "*", "*.raw")))


def decoded(raw_path):
    with open(raw_path[:-len(".raw")] + ".decoded.json", "rb") as f:
        return json.load(f)


def batch_of(body):
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and "batch" in body:
        return body["batch"]
    return [body] if isinstance(body, dict) and "event" in body else []


def missing(what):
    """A fixture that is not there: a failure in CI (the captures are in the repository), a skip
    elsewhere (a developer pointing $ACTIOND_FIXTURES at another set)."""
    if os.environ.get("CI"):
        raise AssertionError(what)
    raise unittest.SkipTest(what)


def fixture_token():
    for path in raw_files():
        body = decoded(path)
        if isinstance(body, dict) and body.get("api_key"):
            return body["api_key"]
    missing("no fixture carries an api_key")


class FixtureReplayTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(FIXTURES):
            missing("fixtures not found at %s (set ACTIOND_FIXTURES)" % FIXTURES)
        cls.srv = server.Server(project_token=fixture_token()).start()
        cls.statuses = {}
        for path in raw_files():
            with open(path, "rb") as f:
                cls.statuses[path] = cls.srv.send_raw(f.read())

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_there_are_captures_of_both_sdks(self):
        dirs = {os.path.basename(os.path.dirname(os.path.dirname(p))) for p in raw_files()}
        self.assertTrue(any(d.startswith("posthog-node") for d in dirs), dirs)
        self.assertTrue(any(d.startswith("posthog-js") for d in dirs), dirs)

    def test_every_capture_is_answered_200(self):
        for path, r in self.statuses.items():
            with self.subTest(raw=os.path.relpath(path, FIXTURES)):
                self.assertEqual(r.status, 200, r)

    def test_every_event_is_stored_exactly_once(self):
        expected = {}
        for path in raw_files():
            for e in batch_of(decoded(path)):
                if "uuid" in e and "event" in e:
                    expected[e["uuid"]] = e["event"]
        self.assertGreater(len(expected), 300)
        stored = self.srv.events()
        uuids = [e["uuid"] for e in stored]
        self.assertEqual(len(uuids), len(set(uuids)), "an event is stored twice")
        self.assertEqual(set(uuids), set(expected))
        for e in stored:
            self.assertEqual(e["event"], expected[e["uuid"]])
            self.assertEqual(e["id"], e["uuid"])

    def test_retry_after_503_sends_are_stored_once(self):
        folders = glob.glob(os.path.join(FIXTURES, "posthog-node-*", "v0-retry-after-503"))
        if not folders:
            missing("no posthog-node v0-retry-after-503 fixture")
        folder = sorted(folders)[-1]
        uuids = [e["uuid"] for e in batch_of(decoded(os.path.join(folder, "001.raw")))]
        self.assertTrue(uuids, "the retried batch carries no events")
        for n in ("002", "003"):
            self.assertEqual(uuids, [e["uuid"] for e in
                                     batch_of(decoded(os.path.join(folder, n + ".raw")))])
        stored = [e["uuid"] for e in self.srv.events() if e["uuid"] in set(uuids)]
        self.assertEqual(sorted(stored), sorted(uuids))

    def test_identify_and_alias_merge_persons(self):
        r = self.srv.api("GET", "/api/projects/1/persons/?distinct_id=anon-abc")
        self.assertEqual(r.status, 200, r)
        [person] = r.json()["results"]
        self.assertIn("user-1", person["distinct_ids"])
        self.assertIn("anon-abc", person["distinct_ids"])
        self.assertEqual(person["properties"].get("email"), "u1@example.com")
        self.assertEqual(person["name"], "u1@example.com")
        self.assertTrue(person["is_identified"])
        same = self.srv.api("GET", "/api/projects/1/persons/?distinct_id=user-1").json()
        self.assertEqual(same["results"][0]["uuid"], person["uuid"])

    def test_browser_events_keep_their_elements_chain(self):
        chains = [e for e in self.srv.events(event="$autocapture")
                  if e["elements_chain"] or e["properties"].get("$elements_chain")]
        self.assertTrue(chains, "no $autocapture event with an elements chain")


if __name__ == "__main__":
    server.main()
