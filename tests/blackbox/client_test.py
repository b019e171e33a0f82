"""The real posthog-node client (latest 5.x from npm, gzip on) sends 1,200 events plus identify
and alias to actiond; every event must be stored exactly once and the persons merged.

Installs tests/client's dependencies with npm when they are missing."""

import collections
import json
import subprocess
import unittest

import server

CLIENT_DIR = server.CLIENT_DIR
COUNT = 1200


class PosthogNodeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server.npm_ci(CLIENT_DIR, "posthog-node")
        cls.srv = server.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_every_event_once_and_persons_merged(self):
        out = subprocess.run(
            ["node", "send.js", "http://127.0.0.1:%d" % self.srv.port, self.srv.project_token,
             str(COUNT)], cwd=CLIENT_DIR, capture_output=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stderr.decode()[-3000:])
        report = json.loads(out.stdout.decode().strip().splitlines()[-1])
        self.assertTrue(report["version"].startswith("5."), report["version"])
        self.assertEqual(report["errors"], 0, out.stderr.decode()[-2000:])

        stored = self.srv.events(limit=10000)
        counts = collections.Counter(e["uuid"] for e in stored)
        self.assertTrue(all(n == 1 for n in counts.values()), "an event is stored twice")
        sent = set(report["uuids"])
        self.assertEqual(len(sent), COUNT)
        self.assertTrue(sent <= set(counts), "%d events missing" % len(sent - set(counts)))
        by_name = collections.Counter(e["event"] for e in stored)
        self.assertEqual(by_name["signed_up"] + by_name["$pageview"], COUNT)
        self.assertEqual(by_name["$identify"], 1)
        self.assertEqual(by_name["$create_alias"], 1)
        for e in stored:
            self.assertEqual(e["properties"].get("$lib"), "posthog-node")

        r = self.srv.api("GET", "/api/projects/1/persons/?distinct_id=node-anon-1")
        [person] = r.json()["results"]
        self.assertEqual(sorted(person["distinct_ids"]), ["node-anon-1", "node-user-1"])
        self.assertEqual(person["properties"].get("email"), "node1@example.com")
        self.assertEqual(self.srv.api("GET", "/api/projects/1/persons/").json()["count"], 20)


if __name__ == "__main__":
    server.main()
