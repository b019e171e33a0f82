"""The cluster at the size the Kafka issue names (docs/cluster.md "Tests"): three nodes in one
consumer group over tools/mock-kafka (3 brokers, 12 partitions), 20 projects and 100,000 events
sent through randomly chosen nodes by clients that retry and sometimes repeat an answered
request. Every count and every people page, asked at every node, must equal — byte for byte
— the answer of one embedded node fed the same requests in the same order per project."""

import concurrent.futures
import json
import random
import time
import unittest

import cluster_test
import mock_kafka
import server

PARTITIONS = 12
PROJECTS = 20
EVENTS_PER_PROJECT = 5_000  # 20 × 5,000 = 100,000
BATCH = 100
CLIENTS = 4


class ClusterScaleTest(unittest.TestCase):
    def setUp(self):
        topics = ["scale.events:%d:3" % PARTITIONS, "scale.meta:1:3", "scale.members:1:3"]
        self.kafka = mock_kafka.MockKafka(brokers=3, topics=topics)
        self.addCleanup(self.kafka.stop)
        self.servers = []
        self.addCleanup(lambda: [s.cleanup() for s in self.servers])

    def start(self, srv):
        self.servers.append(srv)
        return srv.start()

    def wait_split(self, nodes, timeout=90):
        """Until the group has given every partition to exactly one of `nodes`, each holds some,
        and every node's view of the members says so."""
        deadline = time.monotonic() + timeout
        while True:
            views = [n.request("GET", "/_cluster").json() for n in nodes]
            held = {v["node_id"]: sorted(p["partition"] for p in v["assigned"]) for v in views}
            every = sorted(p for ps in held.values() for p in ps)
            seen = [{m["node_id"]: sorted(m["partitions"]) for m in v["members"]} for v in views]
            if (all(held.values()) and every == list(range(PARTITIONS))
                    and all(s == held for s in seen)
                    and all(n.request("GET", "/_readyz").status == 200 for n in nodes)):
                return held
            self.assertLess(time.monotonic(), deadline, "partitions not split: %s" % held)
            time.sleep(0.3)

    def wait_caught_up(self, nodes, timeout=300):
        """Until every node has applied every record of its partitions, twice in a row."""
        deadline = time.monotonic() + timeout
        previous = None
        while True:
            views = [n.request("GET", "/_cluster").json() for n in nodes]
            done = all(v["caught_up"] and all(p["applied"] == p["end"] for p in v["assigned"])
                       for v in views)
            now = [[(p["partition"], p["applied"]) for p in v["assigned"]] for v in views]
            if done and now == previous:
                return
            previous = now if done else None
            self.assertLess(time.monotonic(), deadline, "not caught up: %s" % views)
            time.sleep(0.5)

    def with_retries(self, call, timeout=120):
        """Calls until the answer is not a 503 (a partition moving, a node catching up)."""
        deadline = time.monotonic() + timeout
        while True:
            r = call()
            if r.status != 503:
                return r
            self.assertIn("retry-after", r.headers)
            self.assertLess(time.monotonic(), deadline, r)
            time.sleep(0.2)

    def test_every_node_answers_as_one_embedded_node_fed_the_same_events(self):
        reference = self.start(server.Server())
        nodes = [self.start(cluster_test.cluster_node(self.kafka, "scale.", node_id="scale-%d" % i))
                 for i in range(3)]
        self.wait_split(nodes)
        pick = random.Random(20261203)

        # Projects 2..20 through the meta topic, each through some node; project 1 is every
        # node's bootstrapped one.
        tokens = {1: (server.PROJECT_TOKEN, server.PROJECT_TOKEN)}  # id → (cluster, reference)
        for i in range(2, PROJECTS + 1):
            made = self.with_retries(lambda: pick.choice(nodes).api(
                "POST", "/api/projects/", {"name": "project %d" % i}))
            self.assertEqual(made.status, 201, made)
            ref = reference.api("POST", "/api/projects/", {"name": "project %d" % i})
            self.assertEqual((made.json()["id"], ref.json()["id"]), (i, i))
            tokens[i] = (made.json()["api_token"], ref.json()["api_token"])
        for n in nodes:  # every node must know every token before capture reaches it
            deadline = time.monotonic() + 30
            while len(n.api("GET", "/api/projects/").json()["results"]) < PROJECTS:
                self.assertLess(time.monotonic(), deadline, "projects did not reach a node")
                time.sleep(0.2)

        # The same actions in every project, made through any node (forwarded to the holder,
        # written to the project's partition). Ids are each holder's: compare by name.
        actions = {}  # (project, name) → (cluster id, reference id)
        for p in range(1, PROJECTS + 1):
            for action in cluster_test.ACTIONS:
                path = "/api/projects/%d/actions/" % p
                made = self.with_retries(lambda: pick.choice(nodes).api("POST", path, action))
                self.assertEqual(made.status, 201, made)
                ref = reference.api("POST", path, action)
                self.assertEqual(ref.status, 201, ref)
                actions[(p, action["name"])] = (made.json()["id"], ref.json()["id"])

        # 100,000 events. Each client owns a quarter of the projects and sends each project's
        # batches in order, so that every project's events reach the log in the reference's
        # order (persons and merges depend on it); batches go to random nodes; every tenth is
        # sent a second time after its answer, as a client that missed the answer would.
        def client(k):
            rng = random.Random(k)
            owned = [p for p in range(1, PROJECTS + 1) if p % CLIENTS == k]
            batches = {p: cluster_test.make_batches("scale-%d" % p, EVENTS_PER_PROJECT // BATCH,
                                                    BATCH) for p in owned}
            sent = 0
            for i in range(EVENTS_PER_PROJECT // BATCH):
                for p in owned:
                    cluster_token, reference_token = tokens[p]
                    batch = batches[p][i]
                    for _ in range(2 if i % 10 == 3 else 1):
                        r = self.with_retries(
                            lambda: rng.choice(nodes).capture(batch, token=cluster_token))
                        self.assertEqual(r.status, 200, r)
                    r = reference.capture(batch, token=reference_token)
                    self.assertEqual(r.status, 200, r)
                    sent += len(batch)
            return sent

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            sent = sum(pool.map(client, range(CLIENTS)))
        self.assertEqual(sent, PROJECTS * EVENTS_PER_PROJECT)
        self.wait_caught_up(nodes)
        print("\n%d events sent to 3 nodes and the reference, applied everywhere, in %.1f s"
              % (sent, time.monotonic() - started))

        # Every answer at every node equals the reference's, as bytes (counts) and as JSON
        # (people, without the paging links, which name the server).
        def answers(srv, p, action_id):
            count = self.with_retries(lambda: srv.api(
                "GET", "/api/projects/%d/actions/%d/count/" % (p, action_id)))
            self.assertEqual(count.status, 200, count)
            people = self.with_retries(lambda: srv.api(
                "GET", "/api/projects/%d/actions/people/?entity_id=%d&entity_type=actions"
                "&date_from=all" % (p, action_id)))
            self.assertEqual(people.status, 200, people)
            return count.body, json.dumps(people.json()["results"], sort_keys=True)

        total = 0
        for (p, name), (cluster_id, reference_id) in sorted(actions.items()):
            expected = answers(reference, p, reference_id)
            total += json.loads(expected[0])["count"]
            for n in nodes:
                self.assertEqual(answers(n, p, cluster_id), expected,
                                 "project %d, action %r, at %s" % (p, name, n.port))
        self.assertGreater(total, PROJECTS * EVENTS_PER_PROJECT // 2)


if __name__ == "__main__":
    server.main()
