#!/usr/bin/env python3
"""Count and people latency over HTTP, end to end (the second tier beside bench/count_bench).

For each size N (default 1,000 and 1,000,000) it starts the built actiond on a fresh temp data
dir and a free loopback port, ingests N posthog-js-style events through /batch/ (gzip batches
of 1,000, unique uuids, spread over the 90 days before now, 10% of them from Firefox), creates
an action matching the Firefox page views, waits for its backfill (is_calculating false), checks
the count and the first people page against what it sent, then times

  --samples x GET /api/projects/1/actions/:id/count/            (default 1,000)
  --samples x GET /api/projects/1/actions/:id/count/?date_from=-7d
  --samples/4 x GET /api/projects/1/actions/:id/people/        (first page, 100 persons)

one at a time over one keep-alive connection, and prints p50 / p99 / mean in ms. It measures
three times: right after the backfill (the action's counter updates are still unmerged RocksDB
merge operands in the memtable), after a graceful restart (which flushes them), and while
--load-connections clients keep posting gzip batches of 100 events (10% of them matching, from
persons already counted), built and compressed before the load starts; --load-nice N runs
those senders at nice N, as if they ran elsewhere rather than on the server's cores. Under load
every count is also checked to be "read your writes": at least everything acknowledged before
the request, at most everything sent by its answer.

  python3 bench/count_latency.py --actiond build-rel/actiond            # both sizes
  python3 bench/count_latency.py --actiond build-rel/actiond --events 1000

Python standard library only. The ingest of each size is bounded by --ingest-timeout.
"""

import argparse
import collections
import concurrent.futures
import datetime
import gzip
import http.client
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib

TOKEN = "phc_count_latency_bench_token"
KEY = "phx_count_latency_bench_key_0123456789"
BATCH = 1000
SPAN_S = 90 * 86400
DAY_S = 86400


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection per thread."""

    def __init__(self, port):
        self.port = port
        self.local = threading.local()

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            self.local.conn = c
        return c

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        for attempt in range(2):
            c = self.conn()
            try:
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                return r.status, r.read()
            except (ConnectionError, http.client.HTTPException):
                c.close()
                self.local.conn = None
                if attempt == 1:
                    raise

    def api(self, method, path, payload=None):
        headers = {"Authorization": "Bearer " + KEY}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        status, data = self.request(method, path, body, headers)
        return status, json.loads(data) if data else None


def make_batch(first, count, now_s, n, persons, rng):
    """Events first..first+count-1 of n; event i is Firefox when i % 10 == 3."""
    events = []
    for i in range(first, first + count):
        ts = now_s - SPAN_S + (i + rng.random()) * SPAN_S / n
        browser = "Firefox" if i % 10 == 3 else rng.choice(("Chrome", "Safari", "Chrome", "Edge"))
        events.append({
            "event": "$pageview",
            "distinct_id": "user-%d" % rng.randrange(persons),
            "uuid": str(uuidlib.UUID(int=(int(ts * 1000) << 80) | (7 << 76) | (2 << 62) | i)),
            "timestamp": datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
            .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "properties": {
                "$current_url": "https://shop.example.com/products/%d" % rng.randrange(5000),
                "$browser": browser,
                "$os": "Mac OS X",
                "$lib": "web",
                "$lib_version": "1.130.0",
                "$session_id": str(uuidlib.UUID(int=rng.getrandbits(128))),
                "$screen_width": 1440,
            },
        })
    return events


# One measurement: end-to-end percentiles in ms, and how many requests were timed (the access
# log's lines are matched to measurements by that count).
Timing = collections.namedtuple("Timing", "p50 p99 mean calls")


def percentiles(samples):
    s = sorted(samples)
    pick = lambda q: s[min(len(s) - 1, int(round(q * (len(s) - 1))))]
    return pick(0.5), pick(0.99), statistics.fmean(s)


def server_times(log_path, phases):
    """The server's own handling time of every timed request, from its access log (one JSON
    line per answer, with duration_ms from the router's dispatch to the answer being ready,
    before it is written): returns, per phase and measurement, (p50, p99) in ms. The timed
    requests are the only ones on the count and people routes, and they were sent in the order
    of `phases`."""
    durations = {"count": [], "people": []}
    with open(log_path) as log:
        for line in log:
            if '"access"' not in line:
                continue
            entry = json.loads(line)
            for kind in durations:
                if entry.get("route", "").endswith("/" + kind):
                    durations[kind].append(float(entry["duration_ms"]))
    out = []
    for _, results in phases:
        per = {}
        for name, timing in results.items():
            kind = "people" if name.startswith("people") else "count"
            taken, durations[kind] = (durations[kind][:timing.calls],
                                      durations[kind][timing.calls:])
            per[name] = percentiles(taken)[:2] if len(taken) == timing.calls else None
        out.append(per)
    return out


def timed(client, path, calls, check, load=None):
    """`check(body, extra_lo, extra_hi)`: extra matching events the answer must / may include
    (both 0 without background load)."""
    samples = []
    for _ in range(calls):
        lo, _ = load.bounds() if load else (0, 0)
        t0 = time.perf_counter()
        status, data = client.request("GET", path, headers={"Authorization": "Bearer " + KEY})
        samples.append((time.perf_counter() - t0) * 1000)
        _, hi = load.bounds() if load else (0, 0)
        if status != 200:
            raise SystemExit("GET %s: %d %r" % (path, status, data[:200]))
        check(json.loads(data), lo, hi)
    return Timing(*percentiles(samples), calls)


class BackgroundIngest:
    """`connections` processes (not threads: the timing thread must not wait for the GIL), each
    posting batches of 100 $pageviews, every tenth from Firefox and from one of `firefox_users`
    (so the count grows and the people page does not). `bounds()` gives the Firefox events
    answered 200 so far and those sent so far.

    Each process builds and compresses `prebuilt` bodies (unique uuids, stamped when built)
    before any is sent, and __enter__ returns once all have, so that during the measurement the
    two cores go to the server and the timing client rather than to Python building JSON. A
    process that runs out builds the rest as it sends; `built_late()` says how many were."""

    def __init__(self, port, connections, firefox_users, prebuilt, nice):
        self.port = port
        self.nice = nice
        self.users = sorted(firefox_users)
        self.prebuilt = prebuilt
        self.stop = multiprocessing.Event()
        self.ready = multiprocessing.Semaphore(0)
        self.acked = multiprocessing.Value("q", 0)
        self.sent = multiprocessing.Value("q", 0)
        self.events = multiprocessing.Value("q", 0)
        self.late = multiprocessing.Value("q", 0)
        self.errors = multiprocessing.Queue()
        self.procs = [multiprocessing.Process(target=self.run, args=(i,), daemon=True)
                      for i in range(connections)]

    def __enter__(self):
        for proc in self.procs:
            proc.start()
        for _ in self.procs:
            if not self.ready.acquire(timeout=300):
                self.stop.set()
                raise SystemExit("background senders did not build their bodies in 300 s")
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for proc in self.procs:
            proc.join(60)
        if not self.errors.empty():
            raise SystemExit(self.errors.get())

    EVENTS_PER_BODY = 100

    def body(self, rng):
        """(gzip body, Firefox events in it)."""
        now = datetime.datetime.now(datetime.timezone.utc)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        events = [{
            "event": "$pageview",
            "distinct_id": rng.choice(self.users) if i % 10 == 3 else "load-%d" % i,
            "uuid": str(uuidlib.uuid4()),
            "timestamp": stamp,
            "properties": {"$browser": "Firefox" if i % 10 == 3 else "Chrome",
                           "$current_url": "https://shop.example.com/"},
        } for i in range(self.EVENTS_PER_BODY)]
        firefox = sum(1 for e in events if e["properties"]["$browser"] == "Firefox")
        return gzip.compress(json.dumps({"api_key": TOKEN, "batch": events}).encode(), 6), firefox

    def run(self, index):
        rng = random.Random(index)
        bodies = [self.body(rng) for _ in range(self.prebuilt)]
        bodies.reverse()  # popped from the end, in the order built
        if self.nice:
            os.nice(self.nice)
        self.ready.release()
        client = Client(self.port)
        while not self.stop.is_set():
            if bodies:
                body, firefox = bodies.pop()
            else:
                body, firefox = self.body(rng)
                with self.late.get_lock():
                    self.late.value += 1
            with self.sent.get_lock():
                self.sent.value += firefox
            status, data = client.request("POST", "/batch/", body,
                                          {"Content-Type": "application/json",
                                           "Content-Encoding": "gzip"})
            if status != 200:
                self.errors.put("background POST /batch/: %d %r" % (status, data[:200]))
                self.stop.set()
                return
            with self.acked.get_lock():
                self.acked.value += firefox
            with self.events.get_lock():
                self.events.value += self.EVENTS_PER_BODY

    def bounds(self):
        return self.acked.value, self.sent.value

    def events_sent(self):
        return self.events.value

    def built_late(self):
        return self.late.value


class Server:
    """actiond on a free loopback port; its output goes to `log`."""

    def __init__(self, actiond, data_dir, log, extra_args):
        self.actiond, self.data_dir, self.log = actiond, data_dir, log
        self.extra_args = extra_args
        self.proc = None

    def start(self):
        port = free_port()
        env = dict(os.environ, ACTIOND_PERSONAL_API_KEY=KEY, ACTIOND_PROJECT_TOKEN=TOKEN)
        t0 = time.time()
        self.proc = subprocess.Popen([self.actiond, "--listen", "127.0.0.1:%d" % port,
                                      "--data-dir", os.path.join(self.data_dir, "db"),
                                      "--log-format", "json"] + self.extra_args,
                                     env=env, stdout=self.log, stderr=self.log)
        client = Client(port)
        while True:
            try:
                if client.request("GET", "/_health")[0] == 200:
                    return client, time.time() - t0
            except OSError:
                client.local.conn = None
            if time.time() - t0 > 120 or self.proc.poll() is not None:
                raise SystemExit("actiond did not become healthy (log: %s)" % self.log.name)
            time.sleep(0.05)

    def stop(self):
        """SIGTERM: a graceful shutdown, which flushes the store's memtables."""
        if self.proc is None:
            return 0.0
        t0 = time.time()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        return time.time() - t0


def ingest(client, n, workers, timeout):
    """Sends n events; returns (seconds, now_s, Firefox distinct ids)."""
    now_s = time.time()
    persons = max(n // 10, 1)

    def send(first):
        rng = random.Random(first)
        events = make_batch(first, min(BATCH, n - first), now_s, n, persons, rng)
        body = gzip.compress(json.dumps({"api_key": TOKEN, "batch": events}).encode(), 6)
        status, data = client.request("POST", "/batch/", body,
                                      {"Content-Type": "application/json",
                                       "Content-Encoding": "gzip"})
        if status != 200:
            raise SystemExit("POST /batch/: %d %r" % (status, data[:200]))
        firefox = {e["distinct_id"] for e in events if e["properties"]["$browser"] == "Firefox"}
        return len(events), firefox

    t0 = time.time()
    sent = 0
    firefox_users = set()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(send, first) for first in range(0, n, BATCH)]
        try:
            for f in concurrent.futures.as_completed(futures, timeout=timeout):
                count, users = f.result()
                sent += count
                firefox_users |= users
        except concurrent.futures.TimeoutError:
            for f in futures:
                f.cancel()
            raise SystemExit("ingest of %d events exceeded %d s (%d sent)" % (n, timeout, sent))
    return time.time() - t0, now_s, firefox_users


def run(actiond, n, ingest_timeout, workers, load_connections, samples, prebuilt, load_nice,
        server_args):
    data_dir = tempfile.mkdtemp(prefix="actiond-count-latency-")
    log = open(data_dir + ".log", "w")  # kept when the run fails
    server = Server(actiond, data_dir, log, server_args)
    ok = False
    try:
        client, _ = server.start()
        ingest_s, now_s, firefox_users = ingest(client, n, workers, ingest_timeout)

        # The expected answers, from what was sent (each answer is checked before it counts).
        bases = [now_s - SPAN_S + i * SPAN_S / n for i in range(3, n, 10)]  # Firefox events
        expect_all = len(bases)
        expect_people = min(100, len(firefox_users))
        # date_from=-7d starts at the beginning of the UTC day seven days back. Event i's time
        # lies in [base_i, base_i + SPAN/n): the count must lie between the events certainly
        # inside and those possibly inside.
        seven_days = (int(now_s // DAY_S) - 7) * DAY_S
        lo = sum(1 for base in bases if base >= seven_days)
        hi = sum(1 for base in bases if base + SPAN_S / n > seven_days)

        status, action = client.api("POST", "/api/projects/1/actions/", {
            "name": "Firefox page views",
            "steps": [{"event": "$pageview", "properties": [
                {"key": "$browser", "value": "Firefox", "operator": "exact", "type": "event"}]}]})
        if status != 201:
            raise SystemExit("create action: %d %r" % (status, action))
        action_id = action["id"]
        t1 = time.time()
        while True:
            status, action = client.api("GET", "/api/projects/1/actions/%d/" % action_id)
            if status == 200 and not action["is_calculating"]:
                break
            if time.time() - t1 > ingest_timeout:
                raise SystemExit("backfill did not finish in %d s" % ingest_timeout)
            time.sleep(0.05 if n <= 10_000 else 0.5)
        backfill_s = time.time() - t1

        base = "/api/projects/1/actions/%d" % action_id

        def check_all(body, extra_lo, extra_hi):
            if not expect_all + extra_lo <= body["count"] <= expect_all + extra_hi:
                raise SystemExit("count %r, expected %d..%d"
                                 % (body, expect_all + extra_lo, expect_all + extra_hi))

        def check_7d(body, extra_lo, extra_hi):
            if not lo + extra_lo <= body["count"] <= hi + extra_hi:
                raise SystemExit("count -7d %r, expected %d..%d"
                                 % (body, lo + extra_lo, hi + extra_hi))

        def check_people(body, extra_lo, extra_hi):
            if body["results"][0]["count"] != expect_people:
                raise SystemExit("people page of %r persons" % body["results"][0]["count"])

        def measure(client, load=None):
            return {
                "count (all time)": timed(client, base + "/count/", samples, check_all, load),
                "count (date_from=-7d)": timed(client, base + "/count/?date_from=-7d", samples,
                                               check_7d, load),
                "people (first page, 100)": timed(client, base + "/people/", samples // 4,
                                                  check_people, load),
            }

        phases = [("right after the backfill", measure(client))]
        stop_s = server.stop()
        client, start_s = server.start()
        phases.append(("after a restart (stop %.1f s, start %.1f s)" % (stop_s, start_s),
                       measure(client)))
        if load_connections > 0:
            with BackgroundIngest(client.port, load_connections, firefox_users,
                                  prebuilt, load_nice) as load:
                time.sleep(2)  # let the load settle
                t_load = time.time()
                events_before = load.events_sent()
                results = measure(client, load)
                rate = (load.events_sent() - events_before) / (time.time() - t_load)
                late = load.built_late()
            phases.append(("while %d connections ingest (%.0f events/s meanwhile; %d bodies "
                           "built during the run%s)"
                           % (load_connections, rate, late,
                              "; senders at nice %d" % load_nice if load_nice else ""),
                           results))

        size = sum(os.path.getsize(os.path.join(d, f))
                   for d, _, fs in os.walk(data_dir) for f in fs)
        print("events %d: ingest %.1f s (%.0f events/s, %d threads), backfill %.2f s, "
              "store %.0f MB, matches %d"
              % (n, ingest_s, n / ingest_s, workers, backfill_s, size / 1e6, expect_all))
        server.stop()  # the access log is complete once the server has stopped
        log.flush()
        for (phase, results), in_server in zip(phases, server_times(log.name, phases)):
            print("  " + phase)
            for name, timing in results.items():
                own = in_server[name]
                print("    %-26s p50 %7.3f ms   p99 %7.3f ms   mean %7.3f ms   in the server: %s"
                      % (name, timing.p50, timing.p99, timing.mean,
                         "p50 %.3f ms  p99 %.3f ms" % own if own else "(access log incomplete)"))
        sys.stdout.flush()
        ok = True
    finally:
        server.stop()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        if ok:
            os.unlink(log.name)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--actiond", default="build-rel/actiond", help="the actiond binary (Release)")
    p.add_argument("--events", default="1000,1000000", help="comma-separated sizes")
    p.add_argument("--ingest-timeout", type=int, default=1800,
                   help="seconds allowed for each size's ingest, and for its backfill")
    p.add_argument("--threads", type=int, default=2, help="concurrent /batch/ senders")
    p.add_argument("--load-connections", type=int, default=8,
                   help="background /batch/ senders during the third measurement (0: none)")
    p.add_argument("--samples", type=int, default=1000,
                   help="requests timed per count measurement (a quarter as many people pages)")
    p.add_argument("--prebuilt", type=int, default=400,
                   help="bodies of 100 events each background sender builds before the load")
    p.add_argument("--load-nice", type=int, default=0,
                   help="nice value of the background senders: on a deployment the clients "
                        "run on other machines; here they share the server's cores")
    p.add_argument("--server-arg", action="append", default=[], dest="server_args",
                   help="an argument for actiond (repeat for several), "
                        "e.g. --server-arg=--threads=4")
    args = p.parse_args()
    for n in (int(x) for x in args.events.split(",")):
        run(os.path.abspath(args.actiond), n, args.ingest_timeout, args.threads,
            args.load_connections, args.samples, args.prebuilt, args.load_nice,
            args.server_args)


if __name__ == "__main__":
    main()
