"""Slow and many clients (timeouts and the connection cap: docs/operations.md §1), in the
manner of a slowloris attack but bounded and asserted:

- 500 connections that send a byte a second — in the header, in the body, or nothing after a
  first request — are closed by the server's timeouts (short ones, set by flags), not earlier,
  while normal capture requests keep succeeding quickly;
- past --max-connections a connection is answered 503 with `Retry-After` in PostHog's error
  shape (PostHog's SDKs retry it), and served again once a slot is free.

There is no ingest queue to fill: a capture request is decoded, matched and committed on the
I/O thread that read it (service/ingest_pipeline.h), so back-pressure is the connection cap.

    python3 tests/blackbox/slow_clients_test.py --bin build/actiond
"""

import http.client
import json
import selectors
import socket
import threading
import time
import unittest
import uuid as uuidlib

import server
from server import Server, event

TIMEOUT_S = 3.0  # --header-timeout, --body-timeout and --idle-timeout of the server under test
SLACK_S = 4.0  # how late past its timeout a connection may close on a busy 2-core machine
NORMAL_MAX_S = 3.0  # the slowest a normal request may be meanwhile
HEADER, BODY, IDLE = "header", "body", "idle"


class Dribbler:
    """One slow connection: the bytes sent once at open, then one byte per tick."""

    def __init__(self, port, kind):
        self.kind = kind
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.opened = time.monotonic()
        self.closed_at = None
        self.answer = b""
        if kind == HEADER:
            self.sock.sendall(b"POST /batch/ HTTP/1.1\r\nHost: t\r\nX-Slow: ")
            self.tick = b"a"
        elif kind == BODY:
            self.sock.sendall(b"POST /batch/ HTTP/1.1\r\nHost: t\r\nContent-Type: "
                              b"application/json\r\nContent-Length: 100000\r\n\r\n{")
            self.tick = b" "
        else:  # one whole request on a kept-alive connection, then silence
            self.sock.sendall(b"GET /_health HTTP/1.1\r\nHost: t\r\n\r\n")
            self.tick = None
            self.expect_answer = True
        self.sock.setblocking(False)

    def send_tick(self):
        if self.tick is None or self.closed_at is not None:
            return
        try:
            self.sock.send(self.tick)
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self.mark_closed()

    def on_readable(self):
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data:
            self.answer += data
        else:
            self.mark_closed()

    def mark_closed(self):
        if self.closed_at is None:
            self.closed_at = time.monotonic()

    def lifetime(self):
        return self.closed_at - self.opened


class NormalTraffic(threading.Thread):
    """Small capture batches and health checks, back to back, until stopped."""

    def __init__(self, srv):
        super().__init__(daemon=True)
        self.srv = srv
        self.stop = threading.Event()
        self.results = []  # (status or exception text, seconds)
        self.distinct_id = "normal-" + uuidlib.uuid4().hex
        self.sent = 0

    def run(self):
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                r = self.srv.capture([event("normal", self.distinct_id) for _ in range(5)])
                status = r.status
                if status == 200:
                    self.sent += 5
                h = self.srv.request("GET", "/_health", timeout=10)
                if h.status != 200:
                    status = "health %d" % h.status
            except (OSError, http.client.HTTPException) as e:
                status = repr(e)
            self.results.append((status, time.monotonic() - start))
            time.sleep(0.05)


class SlowClientsTest(unittest.TestCase):
    def setUp(self):
        self.srv = None

    def tearDown(self):
        if self.srv:
            self.srv.cleanup()

    def start(self, *args):
        self.srv = Server(args=["--header-timeout", str(TIMEOUT_S),
                                "--body-timeout", str(TIMEOUT_S),
                                "--idle-timeout", str(TIMEOUT_S)] + list(args)).start()
        return self.srv

    def test_500_slow_connections_are_closed_by_timeouts_while_normal_requests_succeed(self):
        srv = self.start()
        traffic = NormalTraffic(srv)
        traffic.start()
        kinds = [HEADER] * 350 + [BODY] * 100 + [IDLE] * 50
        slow = [Dribbler(srv.port, kind) for kind in kinds]
        sel = selectors.DefaultSelector()
        for d in slow:
            sel.register(d.sock, selectors.EVENT_READ, d)
        deadline = time.monotonic() + TIMEOUT_S + SLACK_S + 10
        next_tick = time.monotonic()
        try:
            while time.monotonic() < deadline and any(d.closed_at is None for d in slow):
                now = time.monotonic()
                if now >= next_tick:  # a byte a second on each open connection
                    for d in slow:
                        d.send_tick()
                    next_tick = now + 1.0
                for key, _ in sel.select(timeout=max(0.0, min(0.2, next_tick - now))):
                    d = key.data
                    d.on_readable()
                    if d.closed_at is not None:
                        sel.unregister(d.sock)
            time.sleep(1.0)  # normal traffic goes on a little after the last close
        finally:
            traffic.stop.set()
            traffic.join(30)
            sel.close()
            for d in slow:
                d.sock.close()

        still_open = [d.kind for d in slow if d.closed_at is None]
        self.assertEqual(still_open, [], "connections the server never closed")
        for kind in (HEADER, BODY, IDLE):
            lifetimes = sorted(d.lifetime() for d in slow if d.kind == kind)
            with self.subTest(kind=kind):
                # Closed by the timeout: not before it (a slow but honest client gets its
                # time), not long after it.
                self.assertGreaterEqual(lifetimes[0], TIMEOUT_S - 0.5, lifetimes[:5])
                limit = TIMEOUT_S + SLACK_S + (TIMEOUT_S if kind == BODY else 0)
                self.assertLessEqual(lifetimes[-1], limit, lifetimes[-5:])
        # A slow connection is closed without an answer; the idle ones had theirs first.
        for d in slow:
            if d.kind == IDLE:
                self.assertTrue(d.answer.startswith(b"HTTP/1.1 200"), d.answer[:100])
            else:
                self.assertEqual(d.answer, b"", d.answer[:200])

        self.assertGreaterEqual(len(traffic.results), 10, traffic.results)
        failures = [r for r in traffic.results if r[0] != 200]
        self.assertEqual(failures, [], "normal requests failed meanwhile")
        slowest = max(seconds for _, seconds in traffic.results)
        self.assertLess(slowest, NORMAL_MAX_S, "a normal request took %.1f s" % slowest)
        # Every acknowledged event is stored.
        self.assertEqual(len(srv.events(distinct_id=traffic.distinct_id)), traffic.sent)

    def test_past_the_connection_cap_the_answer_is_503_with_retry_after(self):
        cap = 8
        srv = self.start("--max-connections", str(cap))
        # Hold every slot with connections that send nothing.
        held = self.hold(srv, cap)
        try:
            for method, path, body in (("GET", "/_health", None),
                                       ("POST", "/batch/", json.dumps(
                                           {"api_key": srv.project_token,
                                            "batch": [event("refused", "capped")]})),
                                       ("GET", "/api/projects/1/actions/", None)):
                with self.subTest(method=method, path=path):
                    start = time.monotonic()
                    r = srv.request(method, path, body, {"Authorization": "Bearer " +
                                                         srv.personal_key}, timeout=5)
                    self.assertLess(time.monotonic() - start, 2.0)
                    self.assertEqual(r.status, 503, r)
                    retry_after = r.headers.get("retry-after")
                    self.assertIsNotNone(retry_after, r.headers)
                    self.assertGreaterEqual(int(retry_after), 1)
                    body = r.json()
                    self.assertEqual(set(body), {"type", "code", "detail", "attr"}, body)
                    self.assertEqual(body["type"], "server_error", body)
                    self.assertEqual(r.headers.get("connection", "").lower(), "close")
            # Refused requests stored nothing.
            for s in held[:2]:
                s.close()
            self.wait_for_service(srv, 5.0)
            self.assertEqual(srv.events(distinct_id="capped"), [])
        finally:
            for s in held:
                s.close()

    def test_slots_held_by_silent_clients_are_freed_by_the_header_timeout(self):
        cap = 8
        srv = self.start("--max-connections", str(cap))
        held = self.hold(srv, cap)
        try:
            self.assertEqual(srv.request("GET", "/_health", timeout=5).status, 503)
            # The client never closes them: the server does, at its header timeout.
            self.wait_for_service(srv, TIMEOUT_S + SLACK_S)
            for s in held:
                s.settimeout(SLACK_S)
                self.assertEqual(s.recv(1), b"")  # closed by the server, no answer
        finally:
            for s in held:
                s.close()

    def hold(self, srv, n):
        """`n` connections the server has accepted and counts, sending nothing. A connection
        that the server still counts for a moment after its client closed it (the health
        checks of start()) can make one of ours the refused one: that one is replaced."""
        held = []
        deadline = time.monotonic() + 10
        while True:
            while len(held) < n:
                held.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
            time.sleep(0.3)  # let the server accept them, or refuse one
            refused = []
            for s in held:
                s.settimeout(0.05)
                try:
                    s.recv(1, socket.MSG_PEEK)
                    refused.append(s)  # an answer (503) or a close
                except socket.timeout:
                    pass
            if not refused:
                for s in held:
                    s.settimeout(5)
                return held
            for s in refused:
                s.close()
                held.remove(s)
            self.assertLess(time.monotonic(), deadline, "could not hold %d connections" % n)

    def wait_for_service(self, srv, within):
        deadline = time.monotonic() + within
        while True:
            try:
                r = srv.request("GET", "/_health", timeout=2)
                if r.status == 200:
                    return
            except OSError:
                pass
            self.assertLess(time.monotonic(), deadline, "not served again within %.0f s" % within)
            time.sleep(0.1)


if __name__ == "__main__":
    server.main()
