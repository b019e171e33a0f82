#!/usr/bin/env python3
"""Cluster mode under load (docs/cluster.md, docs/scaling.md): one node, then two nodes in one
consumer group, each against its own topics on tools/mock-kafka (3 brokers, 8 partitions),
with 8 projects. For each it prints:

  - events/s acknowledged by the HTTP load (bench/load_generator, closed-loop gzip batches of
    100, its bodies built before the clock starts), split over the nodes;
  - events/s applied: the acknowledged events over the time from the start of the load until
    every node has applied its partitions to the log's end (acknowledging can outrun applying:
    then the log holds the difference, and the delay below grows);
  - the nodes' CPU time per acknowledged event (capture, produce and apply together);
  - end-to-end delay, capture acknowledged -> the event readable through the REST API of the
    node it was sent to (so forwarded when another node holds the partition), p50 and p99 over
    probes sent every 50 ms during the load.

Usage: bench/cluster_run.py BUILD_DIR [--duration S] [--connections N]
Loopback only; temporary data dirs; every process is stopped at the end."""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "blackbox"))
import mock_kafka  # noqa: E402

KEY = "phx_cluster_bench_" + uuid.uuid4().hex
TOKEN = "phc_cluster_bench_" + uuid.uuid4().hex
PARTITIONS = 8
PROJECTS = 8


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, key=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = "Bearer " + key
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class Node:
    def __init__(self, build, root, kafka, prefix, node_id):
        self.port = free_port()
        self.dir = os.path.join(root, node_id)
        self.log = open(os.path.join(root, node_id + ".log"), "wb")
        self.proc = subprocess.Popen(
            [os.path.join(build, "actiond"), "--listen", "127.0.0.1:%d" % self.port,
             "--data-dir", self.dir, "--kafka", kafka.bootstrap, "--kafka-topic-prefix", prefix,
             "--node-id", node_id, "--personal-api-key", KEY, "--project-token", TOKEN],
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if call(self.port, "GET", "/_readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("node %s did not become ready" % node_id)
            time.sleep(0.1)

    def cpu_seconds(self):
        """User + system CPU time of the node so far (/proc/PID/stat fields 14 and 15)."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)
        self.log.close()


def wait_split(nodes, timeout=60):
    """Until the group has given every partition to some node and each node knows it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        views = [json.loads(call(n.port, "GET", "/_cluster")[1]) for n in nodes]
        held = sorted(p["partition"] for v in views for p in v["assigned"])
        known = all(len([m for m in v["members"] if m["partitions"]]) == len(nodes)
                    for v in views)
        if held == list(range(PARTITIONS)) and known:
            return
        time.sleep(0.2)
    raise RuntimeError("partitions not split over the nodes")


def probe(nodes, project, stop, delays):
    """Every 50 ms: one event to a node in turn, then poll that node's events endpoint until
    the event is there; the delay from the 200 to the first answer that has it. The probes have
    a project of their own, so that asking for one is a short read, not a scan of the load."""
    project_id, token = project
    i = 0
    while not stop.is_set():
        node = nodes[i % len(nodes)]
        name = "probe-%d-%s" % (i, uuid.uuid4().hex[:8])
        body = {"api_key": token, "batch": [{"event": name, "distinct_id": "prober"}]}
        status, _ = call(node.port, "POST", "/batch/", body)
        acked = time.monotonic()
        if status == 200:
            while not stop.is_set():
                status, text = call(node.port, "GET", "/api/projects/%s/events/?event=%s"
                                    % (project_id, name), key=KEY)
                if status == 200 and json.loads(text)["results"]:
                    delays.append(time.monotonic() - acked)
                    break
                time.sleep(0.001)
        i += 1
        time.sleep(0.05)


def run(build, root, kafka, prefix, count, args):
    nodes = [Node(build, root, kafka, prefix, "%s%d" % (prefix, k)) for k in range(count)]
    try:
        if count > 1:
            wait_split(nodes)
        # The load generator makes the other 7 projects (POST /api/projects/ needs the meta
        # topic in cluster mode) and spreads its connections over all 8.
        generators = []
        cpu_before = sum(n.cpu_seconds() for n in nodes)
        started = time.monotonic()
        per_node = max(1, args.connections // count)
        for k, node in enumerate(nodes):
            report = os.path.join(root, "%s%d.json" % (prefix, k))
            generators.append((subprocess.Popen(
                [os.path.join(build, "load_generator"), "--target", "127.0.0.1:%d" % node.port,
                 "--token", TOKEN, "--key", KEY, "--projects", str(PROJECTS if k == 0 else 1),
                 "--connections", str(per_node), "--batch-size", "100",
                 "--duration", str(args.duration), "--prebuild", "400", "--quiet",
                 "--report-json", report], stdout=subprocess.DEVNULL), report))
        status, text = call(nodes[0].port, "POST", "/api/projects/", {"name": "probes"}, key=KEY)
        if status != 201:
            raise RuntimeError("creating the probes' project: %d %s" % (status, text))
        made = json.loads(text)
        stop = threading.Event()
        delays = []
        prober = threading.Thread(target=probe,
                                  args=(nodes, (made["id"], made["api_token"]), stop, delays))
        prober.start()
        for proc, _ in generators:
            proc.wait(args.duration + 120)
        stop.set()
        prober.join(60)
        rate = 0.0
        acked = 0
        for _, report in generators:
            with open(report) as f:
                summary = json.load(f)
            rate += summary["events_per_s"]
            acked += summary["events_acked"]
        # Applied: until every node has applied its partitions to the log's end (and still
        # has 0.5 s later) — the rate the cluster sustains, which acknowledging can outrun.
        previous = None
        while True:
            views = [json.loads(call(n.port, "GET", "/_cluster")[1]) for n in nodes]
            now = [(p["partition"], p["applied"]) for v in views for p in v["assigned"]]
            done = all(p["applied"] == p["end"] for v in views for p in v["assigned"])
            if done and now == previous:
                break
            previous = now if done else None
            time.sleep(0.5)
        applied_rate = acked / (time.monotonic() - 0.5 - started)
        # The nodes' CPU per event, capture and apply together (the probes are a rounding error).
        cpu_us = (sum(n.cpu_seconds() for n in nodes) - cpu_before) / max(acked, 1) * 1e6
        delays.sort()
        p50 = statistics.median(delays) * 1000 if delays else float("nan")
        p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))] * 1000 if delays else float(
            "nan")
        return rate, applied_rate, cpu_us, p50, p99, len(delays)
    finally:
        for node in nodes:
            node.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    mock_kafka.BIN = os.path.join(args.build, "mock-kafka")
    topics = []
    for prefix in ("one.", "two."):
        topics += ["%sevents:%d:3" % (prefix, PARTITIONS), "%smembers:1:3" % prefix,
                   "%smeta:1:3" % prefix]
    kafka = mock_kafka.MockKafka(brokers=3, topics=topics)
    root = tempfile.mkdtemp(prefix="actiond-cluster-bench-")
    try:
        print("machine: nproc %d, load average %s" % (os.cpu_count(),
                                                      " ".join(open("/proc/loadavg").read().split()[:3])))
        rows = [("1 node",) + run(args.build, root, kafka, "one.", 1, args),
                ("2 nodes",) + run(args.build, root, kafka, "two.", 2, args)]
        print("%-8s %12s %12s %12s %10s %10s %7s" % ("nodes", "acked ev/s", "applied ev/s",
                                                     "CPU us/ev", "e2e p50", "e2e p99", "probes"))
        for name, rate, applied, cpu, p50, p99, n in rows:
            print("%-8s %12.0f %12.0f %12.1f %8.1fms %8.1fms %7d" % (name, rate, applied, cpu,
                                                                   p50, p99, n))
        print("2 nodes / 1 node: acked %.2f, applied %.2f" % (rows[1][1] / rows[0][1],
                                                              rows[1][2] / rows[0][2]))
    finally:
        kafka.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
