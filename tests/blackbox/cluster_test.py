"""Cluster mode on Kafka from the outside (docs/cluster.md), against tools/mock-kafka (the real
Kafka protocol on loopback): capture is acknowledged once the log holds the record; a node applies
its partitions exactly once, through kill -9 and client retries, to the same answers an embedded
node gives for the same events; a node with an empty data directory replays the log to the same
bytes; a broker outage is a 503 for capture and loses nothing acknowledged; projects made or
changed through one node exist alike on every node (the meta topic)."""

import concurrent.futures
import threading
import json
import time
import unittest
import uuid as uuidlib

import mock_kafka
import server
import webhook_receiver

PARTITIONS = 4
T0 = 1_764_000_000_000  # fixed timestamps: every node must store the same events
ACTIONS = [
    {"name": "buy", "steps": [{"event": "buy"}]},
    {"name": "pricing page",
     "steps": [{"event": "$pageview", "url": "/pricing", "url_matching": "contains"}]},
    {"name": "pro buyer",
     "steps": [{"event": "buy", "properties": [{"key": "plan", "value": "pro", "type": "event"}]}]},
]


def make_batches(seed, count, size=40):
    """`count` batches of events with fixed uuids and timestamps: buys, page views, and
    $identify merges of anonymous ids into users, so persons and merges are exercised too."""
    batches = []
    n = 0
    for b in range(count):
        batch = []
        for i in range(size):
            n += 1
            user = "user-%d" % (n % 23)
            uuid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "%s/%d" % (seed, n)))
            ts = T0 + n * 1000
            kind = n % 7
            if kind == 0:
                e = {"event": "$identify", "distinct_id": user,
                     "properties": {"$anon_distinct_id": "anon-%d" % (n % 31),
                                    "$set": {"plan": "pro" if n % 2 else "free"}}}
            elif kind in (1, 2):
                e = {"event": "$pageview", "distinct_id": "anon-%d" % (n % 31),
                     "properties": {"$current_url": "https://shop.example/%s" %
                                    ("pricing" if n % 3 else "docs")}}
            else:
                e = {"event": "buy", "distinct_id": user,
                     "properties": {"plan": "pro" if n % 4 else "free", "n": n}}
            e["uuid"] = uuid
            e["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts / 1000)) + "Z"
            batch.append(e)
        batches.append(batch)
    return batches


def cluster_node(kafka, prefix, *extra, node_id=None):
    return server.Server(args=("--kafka", kafka.bootstrap, "--kafka-topic-prefix", prefix,
                               "--node-id", node_id or "node-" + prefix) + tuple(extra))


def partition_of(token, partitions=PARTITIONS):
    """engine/log_partition.h: FNV-1a 64 of the token, modulo the partition count."""
    h = 14695981039346656037
    for byte in token.encode("utf-8"):
        h ^= byte
        h = (h * 1099511628211) % 2 ** 64
    return h % partitions


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        prefixes = ("same", "crash", "replay", "outage", "meta", "route", "move", "hooks",
                    "broker", "keys")
        # A node needs every topic of its prefix: the mock does not create topics on request.
        topics = ["%s.events:%d:3" % (p, PARTITIONS) for p in prefixes]
        topics += ["%s.meta:1:3" % p for p in prefixes]
        topics += ["%s.members:1:3" % p for p in prefixes]
        cls.kafka = mock_kafka.MockKafka(brokers=3, topics=topics)

    @classmethod
    def tearDownClass(cls):
        cls.kafka.stop()

    def tearDown(self):
        for s in getattr(self, "servers", []):
            s.cleanup()

    def start(self, srv):
        """Starts a server; a cluster node is waited for until ready (it holds its partitions
        and has applied them): before that, its project requests answer 503."""
        self.servers = getattr(self, "servers", []) + [srv]
        srv.start()
        if "--kafka" in srv.args:
            self.wait_ready(srv)
        return srv

    def wait_ready(self, srv, timeout=60):
        deadline = time.monotonic() + timeout
        while srv.request("GET", "/_readyz").status != 200:
            self.assertLess(time.monotonic(), deadline, srv.request("GET", "/_readyz"))
            time.sleep(0.1)

    # --- helpers ---------------------------------------------------------------------------

    def create_actions(self, srv):
        ids = []
        for action in ACTIONS:
            r = srv.api("POST", "/api/projects/1/actions/", action)
            self.assertEqual(r.status, 201, r)
            ids.append(r.json()["id"])
        return ids

    def send(self, srv, batch, attempts=1):
        """POSTs a batch; with attempts > 1 it retries 503s as PostHog's SDKs do. The status."""
        for attempt in range(attempts):
            r = srv.capture(batch)
            if r.status != 503:
                return r.status
            self.assertIn("retry-after", r.headers)
            time.sleep(0.3)
        return r.status

    def wait_caught_up(self, srv, timeout=60, alone=True):
        """Until the node holds every partition (when `alone` in its group) and applied every
        record its partitions hold, twice in a row 0.3 s apart (the log's end it reports is the
        consumer's latest view of it)."""
        deadline = time.monotonic() + timeout
        previous = None
        while time.monotonic() < deadline:
            state = srv.request("GET", "/_cluster").json()
            done = state["caught_up"] and (
                len(state["assigned"]) == PARTITIONS or not alone) and all(
                p["applied"] == p["end"] for p in state["assigned"])
            now = [(p["partition"], p["applied"]) for p in state["assigned"]]
            if done and now == previous:
                return state
            previous = now if done else None
            time.sleep(0.3)
        self.fail("not caught up within %d s: %s" % (timeout, state))

    def assert_settles_at(self, srv, ids, expected, counts_only=False, timeout=60, alone=True):
        """The node's answers reach `expected` (applying is asynchronous, and the log's end a
        node reports may lag a fetch behind), and stay there once it has caught up: nothing
        missing, nothing counted twice. `counts_only` compares the counts alone, for events
        that reached the log in another order than the reference's: merges depend on order."""
        def observed():
            try:
                got = self.answers(srv, ids)
            except AssertionError:
                # 503 while the node has no caught-up holder for the partition: after every
                # broker was down, the group may still be handing the partitions back.
                return None
            return {k: v[0] for k, v in got.items()} if counts_only else got
        if counts_only:
            expected = {k: v[0] for k, v in expected.items()}
        deadline = time.monotonic() + timeout
        while observed() != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        self.wait_caught_up(srv, alone=alone)
        self.assertEqual(observed(), expected)

    def wait_split(self, a, b, timeout=60):
        """Until the group has split the partitions between nodes a and b and each node knows
        who holds what; (holder, other) for project 1's partition."""
        deadline = time.monotonic() + timeout
        while True:
            views = [s.request("GET", "/_cluster").json() for s in (a, b)]
            held = [sorted(p["partition"] for p in v["assigned"]) for v in views]
            members = [{m["node_id"]: sorted(m["partitions"]) for m in v["members"]}
                       for v in views]
            expected = {v["node_id"]: h for v, h in zip(views, held)}
            if (all(held) and sorted(held[0] + held[1]) == list(range(PARTITIONS))
                    and all(m == expected for m in members)):
                break
            self.assertLess(time.monotonic(), deadline, "partitions not split: %s" % views)
            time.sleep(0.3)
        return (a, b) if partition_of(server.PROJECT_TOKEN) in held[0] else (b, a)

    def assert_answers_as_embedded(self, node, ids, batches):
        """The node settles at the answers of an embedded node given the same actions and fed
        `batches` once each, in order."""
        reference = self.start(server.Server())
        self.assertEqual(self.create_actions(reference), ids)
        for batch in batches:
            self.assertEqual(self.send(reference, batch), 200)
        self.assert_settles_at(node, ids, self.answers(reference, ids))

    def buy_count(self, srv, ids):
        return json.loads(self.answers(srv, ids)[ids[0]][0])["count"]

    def wait_calculated(self, srv, ids):
        deadline = time.monotonic() + 60
        for action_id in ids:
            while srv.api("GET", "/api/projects/1/actions/%s/" % action_id).json().get(
                    "is_calculating"):
                self.assertLess(time.monotonic(), deadline, "backfill still calculating")
                time.sleep(0.1)

    def answers(self, srv, ids):
        """Every action's count body (bytes) and its people (the results, without the paging
        links, which name the node)."""
        out = {}
        for action_id in ids:
            count = srv.api("GET", "/api/projects/1/actions/%s/count/" % action_id)
            self.assertEqual(count.status, 200, count)
            people = srv.api("GET", "/api/projects/1/actions/people/?entity_id=%s"
                             "&entity_type=actions&date_from=all" % action_id)
            self.assertEqual(people.status, 200, people)
            out[action_id] = (count.body, json.dumps(people.json()["results"], sort_keys=True))
        return out

    # --- tests -----------------------------------------------------------------------------

    def test_a_node_applies_the_log_to_the_answers_of_an_embedded_node(self):
        embedded = self.start(server.Server())
        node = self.start(cluster_node(self.kafka, "same."))
        ids = self.create_actions(embedded)
        self.assertEqual(self.create_actions(node), ids)
        batches = make_batches("same", 30)
        for i, batch in enumerate(batches):
            repeats = 2 if i % 5 == 0 else 1  # a client that retries an answered request
            for _ in range(repeats):
                self.assertEqual(self.send(embedded, batch), 200)
                self.assertEqual(self.send(node, batch), 200)
        expected = self.answers(embedded, ids)
        self.assertGreater(json.loads(expected[ids[0]][0])["count"], 0)
        self.assert_settles_at(node, ids, expected)
        self.assertEqual(node.request("GET", "/_readyz").status, 200)

    def test_kill_9_loses_no_acknowledged_event_and_counts_none_twice(self):
        node = self.start(cluster_node(self.kafka, "crash."))
        ids = self.create_actions(node)
        batches = make_batches("crash", 60)
        buys = lambda bs: sum(1 for b in bs for e in b if e["event"] == "buy")

        acknowledged = []

        def client(part):
            for batch in part:
                try:
                    if node.capture(batch, timeout=5).status == 200:
                        acknowledged.append(batch)
                except OSError:
                    return  # the node is gone

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(client, batches[k::4]) for k in range(4)]
            while len(acknowledged) < 20:
                time.sleep(0.01)
            node.kill()  # kill -9 while requests are in flight
            for f in futures:
                f.result()
        node.start()
        self.wait_ready(node)
        self.wait_caught_up(node)
        count = json.loads(self.answers(node, ids)[ids[0]][0])["count"]
        self.assertGreaterEqual(count, buys(acknowledged), "an acknowledged event was lost")
        self.assertLessEqual(count, buys(batches))
        # The clients retry everything; afterwards every event counts exactly once.
        reference = self.start(server.Server())  # an embedded node fed every batch once
        self.assertEqual(self.create_actions(reference), ids)
        for batch in batches:
            self.assertEqual(self.send(node, batch, attempts=20), 200)
            self.assertEqual(self.send(reference, batch), 200)
        self.assertEqual(self.buy_count(reference, ids), buys(batches))
        # Four clients raced before the kill: the log's order is not the reference's.
        self.assert_settles_at(node, ids, self.answers(reference, ids), counts_only=True)

    def test_a_node_with_an_empty_store_replays_the_log_to_the_same_bytes(self):
        first = self.start(cluster_node(self.kafka, "replay."))
        reference = self.start(server.Server())
        ids = self.create_actions(first)
        self.assertEqual(self.create_actions(reference), ids)
        for batch in make_batches("replay", 25):
            self.assertEqual(self.send(first, batch), 200)
            self.assertEqual(self.send(reference, batch), 200)
        self.assert_settles_at(first, ids, self.answers(reference, ids))
        # Its own consumer group, so that it is given every partition and reads each from its
        # first record: the actions too are records of the log, and it creates them at their
        # place among the events, with the ids, steps and creation times the first node has.
        replica = self.start(cluster_node(self.kafka, "replay.", "--kafka-config",
                                          "group.id=replay-%s" % uuidlib.uuid4().hex,
                                          node_id="replay-replica"))
        self.wait_caught_up(replica)
        self.wait_calculated(replica, ids)
        self.assertEqual(self.action_list(replica), self.action_list(first))
        self.assert_settles_at(replica, ids, self.answers(first, ids))
        # An action changed afterwards (steps, so it is recomputed) changes alike on both.
        r = first.api("PATCH", "/api/projects/1/actions/%s/" % ids[1],
                      {"steps": [{"event": "$pageview", "url": "/docs"}], "name": "docs page"})
        self.assertEqual(r.status, 200, r)
        self.wait_calculated(first, ids)
        deadline = time.monotonic() + 30
        while self.action_list(replica) != self.action_list(first):
            self.assertLess(time.monotonic(), deadline, "the change did not reach the replica")
            time.sleep(0.2)
        self.wait_calculated(replica, ids)
        self.assertGreater(json.loads(self.answers(first, ids)[ids[1]][0])["count"], 0)
        self.assert_settles_at(replica, ids, self.answers(first, ids))

    def action_list(self, srv):
        """The project's actions as the list answers them, without what only says how far a
        backfill has got on this node."""
        r = srv.api("GET", "/api/projects/1/actions/")
        self.assertEqual(r.status, 200, r)
        return [{k: v for k, v in a.items() if k not in ("is_calculating", "last_calculated_at", "progress")}
                for a in r.json()["results"]]

    def test_capture_answers_503_while_no_broker_takes_records_and_loses_nothing(self):
        node = self.start(cluster_node(self.kafka, "outage.", "--kafka-config",
                                       "message.timeout.ms=2000"))
        ids = self.create_actions(node)
        batches = make_batches("outage", 6)
        self.assertEqual(self.send(node, batches[0]), 200)
        self.kafka.command("down -1")
        try:
            r = node.capture(batches[1], timeout=20)
            self.assertEqual(r.status, 503, r)
            self.assertIn("retry-after", r.headers)
        finally:
            self.kafka.command("up -1")
        for batch in batches[1:]:
            self.assertEqual(self.send(node, batch, attempts=40), 200)
        self.assert_answers_as_embedded(node, ids, batches)

    def test_one_broker_down_while_others_lead_loses_nothing_and_refuses_nothing(self):
        """Broker 2 leads every partition; its leadership moves to broker 1 and broker 2 goes
        down under load (what a real cluster's controller does when a broker fails): the node
        follows the new leader and can still produce, so capture keeps answering 200, and
        nothing acknowledged is lost."""
        def lead(broker):
            for topic, partitions in (("broker.events", PARTITIONS), ("broker.meta", 1),
                                      ("broker.members", 1)):
                for p in range(partitions):
                    self.kafka.command("leader %s %d %d" % (topic, p, broker))
        lead(2)
        node = self.start(cluster_node(self.kafka, "broker."))
        ids = self.create_actions(node)
        batches = make_batches("broker", 20)
        for batch in batches[:5]:
            self.assertEqual(self.send(node, batch), 200)
        lead(1)
        self.kafka.command("down 2")
        try:
            refused = 0
            for batch in batches[5:15]:
                r = node.capture(batch, timeout=30)
                refused += r.status == 503
                if r.status == 503:
                    self.assertEqual(self.send(node, batch, attempts=40), 200)
                else:
                    self.assertEqual(r.status, 200, r)
            self.assertEqual(refused, 0, "capture refused while the log could take records")
        finally:
            self.kafka.command("up 2")
        for batch in batches[15:]:
            self.assertEqual(self.send(node, batch, attempts=40), 200)
        self.assert_answers_as_embedded(node, ids, batches)

    def test_any_node_answers_for_a_project_from_the_node_holding_its_partition(self):
        embedded = self.start(server.Server())
        a = self.start(cluster_node(self.kafka, "route.", node_id="route-a"))
        b = self.start(cluster_node(self.kafka, "route.", node_id="route-b"))
        holder, other = self.wait_split(a, b)

        # Actions made through the node that does not hold the partition are made on the one
        # that does (the request is forwarded), and read back the same through either.
        ids = self.create_actions(other)
        self.assertEqual(self.create_actions(embedded), ids)
        listed = [s.api("GET", "/api/projects/1/actions/").json()["results"] for s in (a, b)]
        self.assertEqual(listed[0], listed[1])
        self.assertEqual(len(listed[0]), len(ACTIONS))
        # One hop only: a request already forwarded is not sent on again.
        r = other.api("GET", "/api/projects/1/actions/",
                      headers={"X-Actiond-Forwarded": "elsewhere"})
        self.assertEqual(r.status, 503, r)
        self.assertIn("retry-after", r.headers)

        for i, batch in enumerate(make_batches("route", 20)):
            self.assertEqual(self.send(embedded, batch), 200)
            self.assertEqual(self.send((a, b)[i % 2], batch), 200)  # capture on any node
        expected = self.answers(embedded, ids)
        deadline = time.monotonic() + 60
        while self.answers(holder, ids) != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.answers(holder, ids), expected)
        self.assertEqual(self.answers(other, ids), expected)

    def action_shapes(self, srv):
        """Each action's id, name and step conditions: what must agree with an embedded node,
        whose clock, users and step ids are its own."""
        def conditions(step):
            return {k: v for k, v in step.items() if k != "id" and v is not None}
        return [(x["id"], x["name"], x["deleted"], [conditions(st) for st in x["steps"]])
                for x in self.action_list(srv)]

    def create_with_retries(self, srv, action, timeout=90):
        """Creates `action` as a client that retries 503s would. A 503 may come after the change
        reached the log (the partition moved before this node applied it): a retry is then
        refused as a name already taken, and the action is the one the first attempt made."""
        deadline = time.monotonic() + timeout
        while True:
            r = srv.api("POST", "/api/projects/1/actions/", action)
            if r.status == 201:
                return r.json()["id"]
            if r.status == 400 and r.json().get("attr") == "name":
                listed = srv.api("GET", "/api/projects/1/actions/").json()["results"]
                return [x["id"] for x in listed if x["name"] == action["name"]][0]
            self.assertEqual(r.status, 503, r)
            self.assertLess(time.monotonic(), deadline, r)
            time.sleep(0.3)

    def test_a_killed_holder_hands_its_project_over_with_its_actions_and_gets_it_back(self):
        """kill -9 of the node holding project 1 while clients send: the other node takes the
        partition over, applies the action records it never saw, and answers as an embedded
        node fed the same events; an action created while the partition moves (backfilled
        while the new holder catches up) counts exactly; the killed node comes back under its
        node id and the partitions split again, with the same answers on both."""
        reference = self.start(server.Server())
        a = self.start(cluster_node(self.kafka, "move.", node_id="move-a"))
        b = self.start(cluster_node(self.kafka, "move.", node_id="move-b"))
        holder, other = self.wait_split(a, b)
        ids = self.create_actions(other)  # forwarded to the holder, which writes them to the log
        self.assertEqual(self.create_actions(reference), ids)

        batches = make_batches("move", 60)
        acknowledged = []

        def client(part):
            # Capture through the node that stays: any node writes to the log.
            for batch in part:
                self.assertEqual(self.send(other, batch, attempts=100), 200)
                acknowledged.append(batch)

        late = {"name": "free buyer", "steps": [
            {"event": "buy", "properties": [{"key": "plan", "value": "free", "type": "event"}]}]}
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(client, batches[k:40:2]) for k in range(2)]
            while len(acknowledged) < 10:
                time.sleep(0.01)
            holder.kill()  # kill -9 while it applies
            # Answered once the partition has moved (10 s of session timeout) and the other
            # node has caught up with it, records of the old holder's actions included.
            late_id = self.create_with_retries(other, late)
            for f in futures:
                f.result()
        for batch in batches[40:]:
            self.assertEqual(self.send(other, batch, attempts=100), 200)

        for batch in batches:
            self.assertEqual(self.send(reference, batch), 200)
        # Ids follow the log: the new holder raised its ids past those the old one chose.
        self.assertEqual(reference.api("POST", "/api/projects/1/actions/", late).json()["id"],
                         late_id)
        all_ids = ids + [late_id]
        self.wait_calculated(reference, all_ids)
        expected = self.answers(reference, all_ids)
        self.assertGreater(json.loads(expected[late_id][0])["count"], 0)
        self.assertEqual(self.action_shapes(other), self.action_shapes(reference))
        # Two clients raced: the log's order is not the reference's, so merges (people) may
        # differ; every count must not.
        self.wait_calculated(other, all_ids)
        self.assert_settles_at(other, all_ids, expected, counts_only=True)

        holder.start()  # the same data directory and node id
        self.wait_ready(holder)
        self.wait_split(a, b)
        for srv in (a, b):
            self.assert_settles_at(srv, all_ids, expected, counts_only=True, timeout=90,
                                   alone=False)
            self.assertEqual(self.action_shapes(srv), self.action_shapes(reference))

    def test_a_new_holder_sends_webhooks_only_for_records_after_those_already_delivered(self):
        """Only a partition's holder delivers, and a node taking the partition over delivers
        from where the last holder's deliveries were done (published on the members topic):
        it applies the earlier records again, but never sends their webhooks a second time."""
        receiver = webhook_receiver.Receiver().start()
        self.addCleanup(receiver.stop)
        args = ("--webhook-backoff", "0.2")
        a = self.start(cluster_node(self.kafka, "hooks.", *args, node_id="hooks-a"))
        b = self.start(cluster_node(self.kafka, "hooks.", *args, node_id="hooks-b"))
        holder, other = self.wait_split(a, b)
        partition = partition_of(server.PROJECT_TOKEN)
        r = other.api("PATCH", "/api/projects/1/",
                      {"slack_incoming_webhook": receiver.url("/services/hooks.slack.com/T/B/x")})
        self.assertEqual(r.status, 200, r)
        r = other.api("POST", "/api/projects/1/actions/",
                      {"name": "buy", "post_to_slack": True, "steps": [{"event": "buy"}]})
        self.assertEqual(r.status, 201, r)
        self.wait_calculated(other, [r.json()["id"]])

        def buys(tag, n):
            return [server.event("buy", "user-%s-%d" % (tag, i)) for i in range(n)]
        for k in range(3):
            self.assertEqual(self.send(other, buys("before%d" % k, 5), attempts=20), 200)
        self.assertEqual(len(receiver.wait_for(15)), 15)
        # The holder publishes how far its deliveries are done about once a second.
        applied = [p["applied"] for p in holder.request("GET", "/_cluster").json()["assigned"]
                   if p["partition"] == partition][0]
        holder_id = "hooks-a" if holder is a else "hooks-b"
        deadline = time.monotonic() + 20
        while [m["delivered"].get(str(partition))
               for m in other.request("GET", "/_cluster").json()["members"]
               if m["node_id"] == holder_id] != [applied]:
            self.assertLess(time.monotonic(), deadline, "delivered offset not published")
            time.sleep(0.2)

        holder.kill()
        self.wait_caught_up(other)  # after the session timeout it holds every partition
        taken = [p for p in other.request("GET", "/_cluster").json()["assigned"]
                 if p["partition"] == partition][0]
        self.assertEqual(taken["webhooks_from"], applied)
        self.assertEqual(self.buy_count(other, [r.json()["id"]]), 15)
        time.sleep(1.0)
        self.assertEqual(len(receiver.received()), 15, "history was delivered again")
        self.assertEqual(self.send(other, buys("after", 5), attempts=20), 200)
        receiver.wait_for(20)
        time.sleep(1.0)  # nothing more may come
        got = receiver.received()
        self.assertEqual(len(got), 20)
        self.assertEqual(len({g.key for g in got}), 20)

    def test_a_personal_key_made_or_revoked_through_one_node_is_so_on_every_node(self):
        # Two nodes on one prefix, each in a group of its own: both apply the whole meta topic.
        group = uuidlib.uuid4().hex
        a = self.start(cluster_node(self.kafka, "keys.", "--kafka-config", "group.id=a-" + group,
                                    node_id="keys-a"))
        b = self.start(cluster_node(self.kafka, "keys.", "--kafka-config", "group.id=b-" + group,
                                    node_id="keys-b"))
        r = a.api("POST", "/api/personal_api_keys/", {"label": "ci", "scopes": ["action:read"]})
        self.assertEqual(r.status, 201, r)
        made = r.json()
        value = made["value"]
        self.assertTrue(value.startswith("phx_"), made)
        self.assertEqual(made["id"], 2)  # after each node's start-up key: the meta log's order
        # The answer shows the key as this node applied it: usable here at once.
        self.assertEqual(a.api("GET", "/api/projects/1/actions/", key=value).status, 200)

        def listed(srv):
            keys = srv.api("GET", "/api/personal_api_keys/")
            self.assertEqual(keys.status, 200, keys)
            return [(k["id"], k["label"], k["scopes"], k["mask_value"]) for k in keys.json()]
        deadline = time.monotonic() + 20
        while b.api("GET", "/api/projects/1/actions/", key=value).status != 200:
            self.assertLess(time.monotonic(), deadline, "the key did not reach the other node")
            time.sleep(0.1)
        self.assertEqual(listed(b), listed(a))
        self.assertEqual([k[1] for k in listed(a)], ["Start-up key", "ci"])
        # Its scopes hold on the other node too; the value itself never went through the log.
        self.assertEqual(b.api("POST", "/api/projects/1/actions/", {"name": "x"},
                               key=value).status, 403)

        # Revoked through the other node: refused there at once, and on the first soon after.
        r = b.api("DELETE", "/api/personal_api_keys/%d/" % made["id"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(b.api("GET", "/api/projects/1/actions/", key=value).status, 401)
        deadline = time.monotonic() + 20
        while a.api("GET", "/api/projects/1/actions/", key=value).status != 401:
            self.assertLess(time.monotonic(), deadline, "the revocation did not reach node a")
            time.sleep(0.1)
        self.assertEqual(listed(a), listed(b))
        self.assertEqual(len(listed(a)), 1)

    def projects(self, srv):
        r = srv.api("GET", "/api/projects/")
        self.assertEqual(r.status, 200, r)
        return [(p["id"], p["name"], p["api_token"]) for p in r.json()["results"]]

    def wait_projects(self, srv, expected, timeout=20):
        deadline = time.monotonic() + timeout
        while self.projects(srv) != expected:
            self.assertLess(time.monotonic(), deadline,
                            "projects differ: %s != %s" % (self.projects(srv), expected))
            time.sleep(0.1)

    def test_projects_made_through_one_node_exist_alike_on_every_node(self):
        # Two nodes on one prefix, each alone in a consumer group of its own: each holds every
        # partition of the events, and both apply the whole meta topic.
        group = uuidlib.uuid4().hex
        a = self.start(cluster_node(self.kafka, "meta.", "--kafka-config", "group.id=a-" + group,
                                    node_id="meta-a"))
        b = self.start(cluster_node(self.kafka, "meta.", "--kafka-config", "group.id=b-" + group,
                                    node_id="meta-b"))
        self.wait_caught_up(a)
        self.wait_caught_up(b)
        self.assertEqual(b.request("GET", "/_readyz").status, 200)

        made = []
        for name in ("shop", "blog", "docs"):
            r = a.api("POST", "/api/projects/", {"name": name})
            self.assertEqual(r.status, 201, r)
            p = r.json()
            self.assertTrue(p["api_token"].startswith("phc_"), p)
            # The answer shows the project as this node applied it, as in embedded mode.
            self.assertEqual(a.api("GET", "/api/projects/%d/" % p["id"]).json(), p)
            made.append((p["id"], p["name"], p["api_token"]))
        # Ids follow the meta log's order after the bootstrapped project 1.
        self.assertEqual([m[0] for m in made], [2, 3, 4])
        on_a = self.projects(a)
        self.assertEqual(on_a[1:], made)
        self.wait_projects(b, on_a)

        # A change through the other node, answered once that node applied it.
        blog_id = made[1][0]
        r = b.api("PATCH", "/api/projects/%d/" % blog_id,
                  {"name": "blog (new)", "slack_incoming_webhook": "https://hooks.example/x"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["id"], r.json()["name"], r.json()["api_token"]),
                         (blog_id, "blog (new)", made[1][2]))
        self.assertEqual(r.json()["slack_incoming_webhook"], "https://hooks.example/x")
        expected = [p if p[0] != blog_id else (blog_id, "blog (new)", p[2]) for p in on_a]
        self.assertEqual(self.projects(b), expected)
        self.wait_projects(a, expected)
        self.assertEqual(a.api("GET", "/api/projects/%d/" % blog_id).json()[
            "slack_incoming_webhook"], "https://hooks.example/x")

        # Refused before the log, as in embedded mode: nothing reaches the other node.
        r = a.api("PATCH", "/api/projects/%d/" % blog_id, {"slack_incoming_webhook": "ftp://x"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["attr"], "slack_incoming_webhook")
        r = a.api("POST", "/api/projects/", {"name": " "})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["attr"], "name")

        # Capture with a new project's token is taken by both nodes, and each (holding every
        # partition) counts both requests' events.
        docs_id, _, docs_token = made[2]
        for srv in (a, b):
            r = srv.capture([server.event("signup", "u-%s" % srv.port)], token=docs_token)
            self.assertEqual(r.status, 200, r)
        expected_ids = sorted("u-%s" % s.port for s in (a, b))
        for srv in (a, b):
            # Applying is asynchronous: the records reach each node's consumer shortly after.
            deadline = time.monotonic() + 20
            while True:
                got = sorted(e["distinct_id"] for e in srv.events(project=docs_id))
                if got == expected_ids or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            self.assertEqual(got, expected_ids)
        self.assertEqual(self.projects(a), self.projects(b))
        self.assertEqual(len(self.projects(a)), 4)

        # A node with an empty store replays the meta topic to the same projects before it is
        # ready, and its events too (the capture records name projects of the meta topic).
        c = self.start(cluster_node(self.kafka, "meta.", "--kafka-config", "group.id=c-" + group,
                                    node_id="meta-c"))
        self.wait_caught_up(c)
        self.assertEqual(self.projects(c), self.projects(a))
        self.assertEqual(sorted(e["distinct_id"] for e in c.events(project=docs_id)),
                         expected_ids)
        # A restarted node reads on from its stored offset: nothing is created twice.
        a.stop()
        a.start()
        self.wait_caught_up(a)
        r = a.api("POST", "/api/projects/", {"name": "after restart"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["id"], 5)
        self.wait_projects(b, self.projects(a))
        self.assertEqual(len(self.projects(a)), 5)

    def test_a_missing_topic_the_cluster_does_not_create_fails_the_start_naming_it(self):
        # The mock does not implement CreateTopics: the start must fail, and say what to do.
        node = cluster_node(self.kafka, "absent.")
        self.servers = getattr(self, "servers", []) + [node]
        with self.assertRaises(RuntimeError):
            node.start()
        self.assertIn("absent.events", node.stderr())
        self.assertIn("create it with 12 partitions and retention.ms=-1", node.stderr())


if __name__ == "__main__":
    server.main()
