"""Hostile input, table-driven (limits: docs/semantics.md §9): every case gets the right 4xx in PostHog's error
shape `{"type", "code", "detail", "attr"}`, within a bounded time, and afterwards the server is
healthy and the data stored before the case is intact (the same seed events, persons, actions
and counts). Query parameters that are not valid numbers fall back to the defaults, as PostHog's
DRF pagination does; nothing here may ever get a 5xx.

    python3 tests/blackbox/hostile_input_test.py --bin build/actiond
"""

import gzip
import json
import socket
import struct
import time
import unittest
import urllib.parse
import uuid as uuidlib
import zlib

import server
from server import event

FAST_S = 5.0  # every hostile request is answered within this (a Debug build on a busy machine)
BULK_S = 90.0  # the one accepted 100,000-event batch
ERROR_FIELDS = {"type", "code", "detail", "attr"}
MIB = 1024 * 1024


def nested(depth, open_="[", close="]", inner="0"):
    return open_ * depth + inner + close * depth


def gzip_bomb(zeros=1 << 30):
    """`zeros` bytes of zeros as one gzip member of about zeros/1000 bytes, made with zlib
    streaming: each MiB is compressed and fully flushed, which resets the compressor, so every
    MiB compresses to the same bytes and the block is repeated rather than recompressed."""
    chunk = bytes(MIB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(zeros // MIB):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * (zeros // MIB) + tail + struct.pack("<II", crc, zeros & 0xFFFFFFFF)


class HostileInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()
        s = cls.srv
        cls.token = s.project_token
        # The seed the cases must leave intact: an action, its events and their persons.
        r = s.api("POST", "/api/projects/1/actions/",
                  {"name": "seed", "steps": [{"event": "seed"}]})
        assert r.status == 201, r
        cls.seed_action = r.json()["id"]
        seed = [event("seed", "seed-%d" % (i % 4), properties={"i": i}) for i in range(20)]
        r = s.capture(seed)
        assert r.status == 200, r
        deadline = time.monotonic() + 30
        while s.api("GET", "/api/projects/1/actions/%d/" % cls.seed_action).json()["is_calculating"]:
            assert time.monotonic() < deadline, "seed backfill did not finish"
            time.sleep(0.05)
        cls.seed_uuids = sorted(e["uuid"] for e in seed)
        cls.baseline = cls.snapshot_of(s)
        assert cls.baseline["seed_count"] == 20, cls.baseline

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def snapshot_of(s):
        action = s.api("GET", "/api/projects/1/actions/%d/" % HostileInputTest.seed_action).json()
        for volatile in ("is_calculating", "last_calculated_at"):
            action.pop(volatile)
        return {
            "seed_count": s.api("GET", "/api/projects/1/actions/%d/count/"
                                % HostileInputTest.seed_action).json()["count"],
            "seed_events": sorted(e["uuid"] for e in s.events(event="seed")),
            "seed_action": action,
            "seed_persons": sorted(
                tuple(p["distinct_ids"]) for p in
                s.api("GET", "/api/projects/1/persons/?limit=1000").json()["results"]
                if p["distinct_ids"][0].startswith("seed-")),
            "projects": s.api("GET", "/api/projects/").json()["count"],
        }

    def assertIntact(self, expect_actions=None):
        """The server answers /_health quickly and the seed is exactly as it was."""
        start = time.monotonic()
        r = self.srv.request("GET", "/_health", timeout=FAST_S)
        self.assertEqual(r.status, 200, r)
        self.assertLess(time.monotonic() - start, FAST_S)
        self.assertEqual(self.snapshot_of(self.srv), self.baseline)
        self.assertEqual(self.snapshot_of(self.srv)["seed_events"], self.seed_uuids)

    def assertErrorShape(self, r, status, code=None, attr=None):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(set(body), ERROR_FIELDS, body)
        self.assertTrue(all(isinstance(body[k], str) for k in ("type", "code", "detail")), body)
        if code is not None:
            self.assertEqual(body["code"], code, body)
        if attr is not None:
            self.assertEqual(body["attr"], attr, body)
        return body

    def timed(self, fn, bound=FAST_S):
        start = time.monotonic()
        r = fn()
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, bound, "answered in %.1f s: %r" % (elapsed, r))
        return r

    def capture_body(self, events_json):
        """A /batch/ body with our token around `events_json` (raw text, maybe hostile)."""
        return ('{"api_key":"%s","batch":[%s]}' % (self.token, events_json)).encode("utf-8")

    def raw_exchange(self, head, body_chunks=(), timeout=FAST_S):
        """Sends `head`, then `body_chunks` while the server still reads, and returns the status
        line and the parsed error body of the answer. The answer may come before the body is
        sent whole (a refused Content-Length): sending stops when the server has answered."""
        sock = socket.create_connection(("127.0.0.1", self.srv.port), timeout=timeout)
        try:
            sock.sendall(head)
            for chunk in body_chunks:
                sock.settimeout(0)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break  # answered already
                except BlockingIOError:
                    pass
                except OSError:
                    break
                sock.settimeout(timeout)
                try:
                    sock.sendall(chunk)
                except OSError:
                    break  # the server closed after answering
            sock.settimeout(timeout)
            data = b""
            while True:
                try:
                    part = sock.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not part:
                    break
                data += part
                head_end = data.find(b"\r\n\r\n")
                if head_end >= 0:
                    length = 0
                    for line in data[:head_end].split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value.strip())
                    if len(data) >= head_end + 4 + length:
                        break
            self.assertTrue(data.startswith(b"HTTP/1.1 "), data[:200])
            status = int(data[9:12])
            head_end = data.find(b"\r\n\r\n")
            body = data[head_end + 4:]
            return server.Response(status, [], body)
        finally:
            sock.close()

    # --- capture: bodies -----------------------------------------------------------------------

    def test_capture_bodies_get_4xx_in_posthogs_shape(self):
        d = "hostile-" + uuidlib.uuid4().hex
        valid = json.dumps({"api_key": self.token, "batch": [event("ok", d)]}).encode()
        ev = '{"event":%s,"distinct_id":"%s"%s}'
        cases = [
            # name, path, body, headers, status, code
            ("invalid json", "/batch/", b'{"api_key": "x", "batch": [', {}, 400,
             "invalid_payload"),
            ("trailing garbage", "/batch/", valid + b"}}}", {}, 400, "invalid_payload"),
            ("not json at all", "/batch/", b"\x00" * 64, {}, 400, "invalid_payload"),
            ("truncated gzip", "/batch/", gzip.compress(valid)[:len(gzip.compress(valid)) // 2],
             {"Content-Encoding": "gzip"}, 400, "invalid_payload"),
            ("truncated gzip by magic", "/e/", gzip.compress(valid)[:-9], {}, 400,
             "invalid_payload"),
            ("gzip magic only", "/batch/", b"\x1f\x8b", {}, 400, "invalid_payload"),
            ("json nested 10,000 deep in properties", "/batch/",
             self.capture_body(ev % ('"n"', d, ',"properties":{"a":%s}' % nested(10000))), {},
             400, "invalid_payload"),
            ("objects nested 10,000 deep", "/batch/",
             self.capture_body(ev % ('"n"', d, ',"properties":' + nested(
                 10000, '{"a":', "}", "1"))), {}, 400, "invalid_payload"),
            ("body nested 10,000 deep", "/e/", nested(10000).encode(), {}, 400,
             "invalid_payload"),
            ("event name of 100 KB", "/batch/",
             self.capture_body(ev % ('"%s"' % ("n" * 100 * 1024), d, "")), {}, 400,
             "invalid_payload"),
            ("event name of 1,025 bytes", "/batch/",
             self.capture_body(ev % ('"%s"' % ("n" * 1025), d, "")), {}, 400,
             "invalid_payload"),
            ("raw NUL inside a string", "/batch/",
             self.capture_body(ev % ('"a\x00b"', d, "")), {}, 400, "invalid_payload"),
            ("invalid UTF-8 in the name", "/batch/",
             self.capture_body(ev % ('"x"', d, "")).replace(b'"x"', b'"\xff\xfe"'), {}, 400,
             "invalid_payload"),
            ("overlong UTF-8", "/batch/",
             self.capture_body(ev % ('"x"', d, "")).replace(b'"x"', b'"\xc0\xaf"'), {}, 400,
             "invalid_payload"),
            ("UTF-8 encoded surrogate", "/batch/",
             self.capture_body(ev % ('"x"', d, "")).replace(b'"x"', b'"\xed\xa0\x80"'), {},
             400, "invalid_payload"),
            ("truncated UTF-8 sequence", "/batch/",
             self.capture_body(ev % ('"x"', d, "")).replace(b'"x"', b'"\xe2\x82"'), {}, 400,
             "invalid_payload"),
            ("lone high surrogate escape", "/batch/",
             self.capture_body(ev % (r'"\ud800"', d, "")), {}, 400, "invalid_payload"),
            ("lone low surrogate escape in a property", "/batch/",
             self.capture_body(ev % ('"n"', d, r',"properties":{"s":"\udc00"}')), {}, 400,
             "invalid_payload"),
            ("high surrogate then a letter", "/batch/",
             self.capture_body(ev % (r'"\ud800\u0041"', d, "")), {}, 400, "invalid_payload"),
            ("lone surrogate in a distinct id", "/batch/",
             self.capture_body('{"event":"n","distinct_id":"\\udbff"}'), {}, 400,
             "invalid_payload"),
            ("lone surrogate in a property name", "/batch/",
             self.capture_body(ev % ('"n"', d, r',"properties":{"\ud800":1}')), {}, 400,
             "invalid_payload"),
            ("form data that is not base64", "/e/", b"data=%%%%%%", {
                "Content-Type": "application/x-www-form-urlencoded"}, 400, "invalid_payload"),
            ("unsupported Content-Encoding", "/batch/", valid, {"Content-Encoding": "br"}, 400,
             "invalid_payload"),
        ]
        for name, path, body, headers, status, code in cases:
            with self.subTest(case=name):
                h = {"Content-Type": "application/json"}
                h.update(headers)
                r = self.timed(lambda: self.srv.request("POST", path, body, h))
                self.assertErrorShape(r, status, code)
                self.assertEqual(self.srv.events(distinct_id=d), [])
                self.assertIntact()

    def test_gzip_bomb_of_one_gib_is_413_fast(self):
        bomb = gzip_bomb()
        self.assertLess(len(bomb), 2 * MIB)  # under every body limit: only decoding can refuse it
        for path in ("/batch/", "/e/", "/i/v0/e/"):
            for headers in ({"Content-Encoding": "gzip"}, {"Content-Type": "text/plain"}):
                with self.subTest(path=path, headers=headers):
                    r = self.timed(lambda: self.srv.request("POST", path, bomb, headers))
                    self.assertErrorShape(r, 413, "payload_too_large")
                    self.assertIntact()

    def test_content_length_over_the_limit_is_refused_before_the_body(self):
        cases = [
            ("/batch/", str(20 * MIB + 1), 413, "payload_too_large"),
            ("/e/", str(2 * MIB + 1), 413, "payload_too_large"),
            ("/api/projects/1/actions/", str(2 * MIB + 1), 413, "payload_too_large"),
            ("/batch/", str(10 ** 18), 413, "payload_too_large"),
            ("/batch/", str(2 ** 64 + 1), 400, None),  # not a 64-bit length: malformed
            ("/batch/", "-1", 400, None),
            ("/batch/", "12abc", 400, None),
        ]
        for path, length, status, code in cases:
            with self.subTest(path=path, length=length):
                head = ("POST %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
                        "Content-Type: application/json\r\nContent-Length: %s\r\n\r\n"
                        % (path, self.srv.personal_key, length)).encode()
                # No body byte is sent: the answer must come anyway, and quickly.
                r = self.timed(lambda: self.raw_exchange(head))
                self.assertErrorShape(r, status, code)
                self.assertIntact()

    def test_chunked_body_growing_past_the_limit_is_413(self):
        head = (b"POST /e/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * (64 * 1024))
        r = self.timed(lambda: self.raw_exchange(head, [chunk] * (2 * 16 + 8)), bound=15)
        self.assertErrorShape(r, 413, "payload_too_large")
        self.assertIntact()

    def test_malformed_http_is_400_and_huge_headers_431(self):
        cases = [
            ("garbage request line", b"\x00\x01\x02 nonsense\r\n\r\n", 400),
            ("bad header line", b"GET /_health HTTP/1.1\r\nHost t\r\n\r\n", 400),
            ("header over 16 KiB", b"GET /_health HTTP/1.1\r\nHost: t\r\nX-Big: " +
             b"a" * (20 * 1024) + b"\r\n\r\n", 431),
            ("chunk size garbage", b"POST /batch/ HTTP/1.1\r\nHost: t\r\n"
             b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ]
        for name, data, status in cases:
            with self.subTest(case=name):
                r = self.timed(lambda: self.raw_exchange(data))
                self.assertErrorShape(r, status)
                self.assertIntact()

    def test_one_hundred_thousand_events_in_one_batch(self):
        # docs/api.md §2: /batch takes 20 MiB and events up to 1 MiB, with no limit on their number.
        # So 100,000 small events (~9 MB) are one request, stored whole and counted exactly;
        # 100,000 events of ~250 bytes (~27 MB) are over the limit and refused whole.
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "bulk", "steps": [{"event": "bulk"}]})
        self.assertEqual(r.status, 201, r)
        bulk = r.json()["id"]
        try:
            events = ",".join('{"event":"bulk","distinct_id":"bulk-%d","uuid":"%s"}'
                              % (i % 100, uuidlib.uuid4()) for i in range(100000))
            body = self.capture_body(events)
            self.assertLess(len(body), 20 * MIB)
            r = self.timed(lambda: self.srv.request(
                "POST", "/batch/", body, {"Content-Type": "application/json"}, timeout=BULK_S),
                bound=BULK_S)
            self.assertEqual(r.status, 200, r)
            count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % bulk).json()
            self.assertEqual(count["count"], 100000)
            # Sending the same batch again stores nothing new (uuids are idempotency keys).
            r = self.srv.request("POST", "/batch/", gzip.compress(body, 1),
                                 {"Content-Encoding": "gzip"}, timeout=BULK_S)
            self.assertEqual(r.status, 200, r)
            count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % bulk).json()
            self.assertEqual(count["count"], 100000)

            pad = "p" * 200
            events = ",".join('{"event":"bulk","distinct_id":"big","properties":{"pad":"%s"}}'
                              % pad for _ in range(100000))
            body = self.capture_body(events)
            self.assertGreater(len(body), 20 * MIB)
            head = (b"POST /batch/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body))
            chunks = [body[i:i + 256 * 1024] for i in range(0, len(body), 256 * 1024)]
            r = self.timed(lambda: self.raw_exchange(head, chunks))
            self.assertErrorShape(r, 413, "payload_too_large")
            self.assertEqual(self.srv.events(distinct_id="big"), [])
            count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % bulk).json()
            self.assertEqual(count["count"], 100000)
        finally:
            self.srv.api("PATCH", "/api/projects/1/actions/%d/" % bulk, {"deleted": True})
        self.assertIntact()

    def test_nul_bytes_as_escapes_are_data(self):
        # A `\u0000` escape is valid JSON and valid UTF-8: names and properties keep it byte for
        # byte; in a distinct id it becomes U+FFFD (capture_payload.h, as PostHog's capture).
        d = "nul-" + uuidlib.uuid4().hex
        body = self.capture_body(
            '{"event":"a\\u0000b","distinct_id":"%s\\u0000x","properties":{"k\\u0000":"v\\u0000"}}'
            % d)
        r = self.timed(lambda: self.srv.request("POST", "/batch/", body))
        self.assertEqual(r.status, 200, r)
        [got] = self.srv.events(distinct_id=d + "\ufffdx")
        self.assertEqual(got["event"], "a\x00b")
        self.assertEqual(got["properties"]["k\x00"], "v\x00")
        self.assertIntact()

    def test_unknown_fields_are_ignored_as_posthog_does(self):
        # PostHog's capture and DRF's serializers ignore fields they do not know; so does
        # actiond (never a 4xx, never a 5xx, never echoed back).
        d = "unknown-" + uuidlib.uuid4().hex
        e = event("unk", d, bogus={"deep": [1, 2]}, **{"$weird": 1})
        r = self.srv.request("POST", "/batch/", json.dumps(
            {"api_key": self.token, "batch": [e], "extra": True, "sent_at": None}))
        self.assertEqual(r.status, 200, r)
        [got] = self.srv.events(distinct_id=d)
        self.assertNotIn("bogus", got)
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "unknown fields " + d, "bogus": 1, "id": 999999,
                          "team_id": 42, "steps": [{"event": "unk", "bogus": [1]}]})
        self.assertEqual(r.status, 201, r)
        action = r.json()
        self.assertNotIn("bogus", action)
        self.assertNotIn("bogus", action["steps"][0])
        self.assertNotEqual(action["id"], 999999)  # read-only fields are ignored too
        self.assertEqual(action["team_id"], 1)
        self.srv.api("PATCH", "/api/projects/1/actions/%d/" % action["id"], {"deleted": True})
        self.assertIntact()

    # --- actions API: bodies -------------------------------------------------------------------

    def test_action_bodies_get_400_naming_the_field(self):
        regex_step = lambda pattern: {"event": "$pageview", "url": pattern,
                                      "url_matching": "regex"}
        prop_regex = lambda pattern: {"event": "e", "properties": [
            {"key": "k", "value": pattern, "operator": "regex", "type": "event"}]}
        cases = [
            # name, body (dict or raw bytes), code, attr
            ("invalid json", b'{"name": "x", "steps": [', "parse_error", None),
            ("json nested 10,000 deep", nested(10000).encode(), "parse_error", None),
            ("steps nested 10,000 deep",
             ('{"name":"deep","steps":%s}' % nested(10000)).encode(), "parse_error", None),
            ("invalid UTF-8", b'{"name": "\xff\xfe"}', "parse_error", None),
            ("lone surrogate", b'{"name": "\\ud800"}', "parse_error", None),
            ("name of 100 KB", {"name": "n" * 100 * 1024}, None, "name"),
            ("regex costly to compile (url)", {"name": "r", "steps": [regex_step(r"\pL{1000}")]},
             None, "steps__0__url"),
            ("nested repetition (url)",
             {"name": "r", "steps": [regex_step("((a{100}){100}){100}")]}, None,
             "steps__0__url"),
            ("look-ahead (url)", {"name": "r", "steps": [regex_step("(?=admin)adm")]}, None,
             "steps__0__url"),
            ("look-behind (url)", {"name": "r", "steps": [regex_step("(?<!x)y")]}, None,
             "steps__0__url"),
            ("backreference (url)", {"name": "r", "steps": [regex_step(r"(a)\1")]}, None,
             "steps__0__url"),
            ("regex costly to compile (property)",
             {"name": "r", "steps": [prop_regex(r"\pL{1000}")]}, None,
             "steps__0__properties__0__value"),
            ("look-ahead (property)", {"name": "r", "steps": [prop_regex("a(?=b)")]}, None,
             "steps__0__properties__0__value"),
            ("regex of 100 KB", {"name": "r", "steps": [regex_step("a" * 100 * 1024)]}, None,
             "steps__0__url"),
            ("selector of 10,000 parts",
             {"name": "s", "steps": [{"event": "$autocapture",
                                      "selector": " > ".join(["div"] * 10000)}]},
             None, "steps__0__selector"),
            ("selector of 10,000 descendants",
             {"name": "s", "steps": [{"event": "$autocapture",
                                      "selector": " ".join(["a.b"] * 10000)}]},
             None, "steps__0__selector"),
            ("selector nested brackets",
             {"name": "s", "steps": [{"event": "$autocapture",
                                      "selector": "a" + "[" * 10000}]}, None,
             "steps__0__selector"),
            ("unknown url_matching", {"name": "u", "steps": [
                {"event": "e", "url": "x", "url_matching": "glob"}]}, None,
             "steps__0__url_matching"),
            ("steps not a list", {"name": "u", "steps": {"event": "e"}}, None, "steps"),
        ]
        seed_path = "/api/projects/1/actions/%d/" % self.seed_action
        for name, body, code, attr in cases:
            for method, path in (("POST", "/api/projects/1/actions/"), ("PATCH", seed_path)):
                with self.subTest(case=name, method=method):
                    if isinstance(body, bytes):
                        send = lambda: self.srv.api(method, path, body, headers={
                            "Content-Type": "application/json"})
                    else:
                        send = lambda: self.srv.api(method, path, body)
                    r = self.timed(send)
                    err = self.assertErrorShape(r, 400, code, attr)
                    if code is None:
                        self.assertEqual(err["type"], "validation_error", err)
                    self.assertIntact()

    # --- query parameters --------------------------------------------------------------------

    def test_bad_numbers_fall_back_to_the_defaults(self):
        project = "/api/projects/1"
        endpoints = [
            project + "/actions/",
            project + "/actions/%d/people/" % self.seed_action,
            project + "/actions/people/?entity_id=%d&entity_type=actions" % self.seed_action,
            project + "/persons/",
            "/api/projects/",
        ]
        fallbacks = [
            "limit=-1", "limit=abc", "limit=0", "limit=", "limit=1.5", "limit=1e3",
            "limit=99999999999999999999999", "limit=%00", "limit=-0", "limit=0x10",
            "offset=abc", "offset=-1", "offset=", "offset=1.5", "offset=%20",
            "offset=99999999999999999999999", "limit=-1&offset=abc",
        ]
        for path in endpoints:
            sep = "&" if "?" in path else "?"
            default = self.srv.api("GET", path)
            self.assertEqual(default.status, 200, default)
            for query in fallbacks:
                with self.subTest(path=path, query=query):
                    r = self.timed(lambda: self.srv.api("GET", path + sep + query))
                    self.assertEqual(r.status, 200, r)
                    got, want = r.json(), default.json()
                    # Links keep the request's own query, so compare what was listed.
                    self.assertEqual(got["results"], want["results"])
                    if "count" in want:
                        self.assertEqual(got["count"], want["count"])
                    self.assertEqual(got["next"] is None, want["next"] is None, got)
        # The events API refuses them instead, naming the parameter (docs/api.md §4): it has
        # no offset, and a limit outside 1..10000 is an error, never a silent default.
        for query in fallbacks:
            with self.subTest(path=project + "/events/", query=query):
                r = self.timed(lambda: self.srv.api("GET", project + "/events/?" + query))
                self.assertErrorShape(r, 400)
                self.assertIn(r.json()["attr"], ("limit", "offset"))

    def test_huge_valid_offsets_list_nothing_and_link_nowhere(self):
        # A valid but huge offset (and limit) lists nothing; there is no next page. (Adding the
        # two overflowed int64 and made a `next` link with a negative offset.)
        project = "/api/projects/1"
        endpoints = [project + "/actions/", project + "/persons/", "/api/projects/",
                     project + "/actions/%d/people/" % self.seed_action]
        big = str(2 ** 63 - 1)
        for path in endpoints:
            for query in ("offset=" + big, "limit=%s&offset=%s" % (big, big),
                          "limit=%s&offset=1" % big, "offset=" + str(2 ** 62)):
                with self.subTest(path=path, query=query):
                    r = self.timed(lambda: self.srv.api("GET", path + "?" + query))
                    self.assertEqual(r.status, 200, r)
                    page = r.json()
                    self.assertIsNone(page["next"], page)
                    if "count" in page:
                        self.assertLessEqual(len(page["results"]), max(page["count"] - 1, 0))
                    for link in (page["next"], page.get("previous")):
                        if link:
                            q = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
                            for v in q.get("offset", []) + q.get("limit", []):
                                self.assertGreaterEqual(int(v), 0, link)

    def test_hostile_dates_and_filters_are_4xx_never_5xx(self):
        project = "/api/projects/1"
        count = project + "/actions/%d/count/" % self.seed_action
        people = project + "/actions/%d/people/" % self.seed_action
        cases = [
            count + "?date_from=-99999999999999999999d",
            count + "?date_from=-9223372036854775807d",
            count + "?date_from=-9223372036854775807h",
            count + "?date_from=%00",
            count + "?date_from=99999-99-99",
            count + "?date_to=-1y&date_from=-" + "9" * 5000 + "m",
            people + "?date_from=" + "x" * 100000,
            project + "/events/?after=%ff%fe",
            project + "/events/?before=9999999999-01-01",
            project + "/events/?before=-9999999-01-01T00:00:00Z",
            project + "/events/?event=" + "%00" * 1000,
            project + "/persons/?distinct_id=%ed%a0%80",
            project + "/persons/" + "%ff" * 10 + "/",
            project + "/actions/" + "9" * 40 + "/",
            project + "/actions/people/?entity_id=" + "9" * 40,
            "/api/projects/" + "9" * 40 + "/actions/",
            "/api/projects/-1/events/",
            "/api/personal_api_keys/" + "9" * 40 + "/",
        ]
        for path in cases:
            with self.subTest(path=path[:120]):
                r = self.timed(lambda: self.srv.api("GET", path))
                self.assertTrue(r.status == 200 or 400 <= r.status < 500, r)
                if r.status != 200:
                    self.assertErrorShape(r, r.status)
        self.assertIntact()


if __name__ == "__main__":
    server.main()
