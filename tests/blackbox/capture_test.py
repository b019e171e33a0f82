"""Black-box tests of the capture endpoints: encodings, shapes, tokens, distinct ids, limits,
CORS and the all-or-nothing rule, against a real actiond."""

import gzip
import json
import time
import unittest
import urllib.parse
import uuid as uuidlib
import zlib

import server
from server import b64, event


class CaptureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = server.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def stored(self, distinct_id):
        return self.srv.events(distinct_id=distinct_id)

    def assertCaptured(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": 1})

    def assertError(self, r, status, code=None):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(set(body), {"type", "code", "detail", "attr"}, body)
        if code is not None:
            self.assertEqual(body["code"], code, body)
        return body

    def fresh_id(self):
        return "bb-" + uuidlib.uuid4().hex

    # --- encodings -------------------------------------------------------------------------

    def test_plain_json_batch(self):
        d = self.fresh_id()
        e = event("plain", d, properties={"k": 1.5, "s": "é"})
        self.assertCaptured(self.srv.capture([e]))
        [got] = self.stored(d)
        self.assertEqual(got["uuid"], e["uuid"])
        self.assertEqual(got["event"], "plain")
        self.assertEqual(got["properties"]["k"], 1.5)
        self.assertEqual(got["properties"]["s"], "é")

    def test_gzip_with_content_encoding(self):
        d = self.fresh_id()
        self.assertCaptured(self.srv.capture([event("gz", d)], compress=True))
        self.assertEqual(len(self.stored(d)), 1)

    def test_gzip_recognised_by_magic_bytes_without_header(self):
        # posthog-js: text/plain, gzip body, no Content-Encoding.
        d = self.fresh_id()
        body = gzip.compress(json.dumps(
            {"api_key": self.srv.project_token, "batch": [event("magic", d)]}).encode())
        r = self.srv.request("POST", "/e/", body, {"Content-Type": "text/plain"})
        self.assertCaptured(r)
        self.assertEqual(len(self.stored(d)), 1)

    def test_compression_gzip_js_query(self):
        d = self.fresh_id()
        body = gzip.compress(json.dumps(
            [dict(event("gzjs", d), api_key=self.srv.project_token)]).encode())
        r = self.srv.request("POST", "/e/?compression=gzip-js&ver=1.449.2", body,
                             {"Content-Type": "text/plain"})
        self.assertCaptured(r)
        self.assertEqual(len(self.stored(d)), 1)

    def test_base64_form_data(self):
        d = self.fresh_id()
        payload = json.dumps(dict(event("form", d), api_key=self.srv.project_token)).encode()
        body = urllib.parse.urlencode({"data": b64(payload)})
        r = self.srv.request("POST", "/track/", body,
                             {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertCaptured(r)
        self.assertEqual(len(self.stored(d)), 1)

    def test_get_with_base64_data(self):
        d = self.fresh_id()
        payload = json.dumps(dict(event("get64", d), api_key=self.srv.project_token)).encode()
        r = self.srv.request("GET", "/e/?" + urllib.parse.urlencode({"data": b64(payload)}))
        self.assertCaptured(r)
        self.assertEqual(len(self.stored(d)), 1)

    def test_get_with_url_encoded_json_data(self):
        d = self.fresh_id()
        payload = json.dumps(dict(event("getjson", d), api_key=self.srv.project_token))
        r = self.srv.request("GET", "/capture?" + urllib.parse.urlencode({"data": payload}))
        self.assertCaptured(r)
        self.assertEqual(len(self.stored(d)), 1)

    def test_every_path_with_and_without_trailing_slash(self):
        for path in ("/batch", "/e", "/i/v0/e", "/capture", "/track", "/engage"):
            for p in (path, path + "/"):
                with self.subTest(path=p):
                    d = self.fresh_id()
                    self.assertCaptured(self.srv.capture([event("p", d)], path=p))
                    self.assertEqual(len(self.stored(d)), 1)

    # --- shapes ----------------------------------------------------------------------------

    def test_bare_array(self):
        d = self.fresh_id()
        events = [dict(event("arr", d), api_key=self.srv.project_token) for _ in range(3)]
        self.assertCaptured(self.srv.request("POST", "/e/", json.dumps(events)))
        self.assertEqual(len(self.stored(d)), 3)

    def test_single_event(self):
        d = self.fresh_id()
        e = dict(event("single", d), api_key=self.srv.project_token)
        self.assertCaptured(self.srv.request("POST", "/capture/", json.dumps(e)))
        self.assertEqual(len(self.stored(d)), 1)

    def test_engage_sets_person_properties(self):
        d = self.fresh_id()
        body = {"$token": self.srv.project_token, "$distinct_id": d,
                "$set": {"email": d + "@example.com", "plan": "pro"}}
        self.assertCaptured(self.srv.request("POST", "/engage/", json.dumps(body)))
        r = self.srv.api("GET", "/api/projects/1/persons/?distinct_id=" + d)
        self.assertEqual(r.status, 200, r)
        [person] = r.json()["results"]
        self.assertEqual(person["properties"]["plan"], "pro")
        self.assertEqual(person["name"], d + "@example.com")

    def test_v1_analytics_events_with_bearer_token(self):
        d = self.fresh_id()
        body = gzip.compress(json.dumps({"created_at": "2026-01-01T00:00:00.000Z",
                                         "batch": [event("v1", d)]}).encode())
        r = self.srv.request("POST", "/i/v1/analytics/events", body, {
            "Content-Type": "application/json", "Content-Encoding": "gzip",
            "Authorization": "Bearer " + self.srv.project_token})
        self.assertCaptured(r)
        self.assertEqual(len(self.stored(d)), 1)
        r = self.srv.request("POST", "/i/v1/analytics/events", body, {
            "Content-Type": "application/json", "Content-Encoding": "gzip"})
        self.assertError(r, 401, "missing_api_key")

    # --- tokens ----------------------------------------------------------------------------

    def test_every_token_field_is_accepted(self):
        t = self.srv.project_token
        for name, make in (
                ("api_key", lambda e: dict(e, api_key=t)),
                ("token", lambda e: dict(e, token=t)),
                ("$token", lambda e: dict(e, **{"$token": t})),
                ("properties.token", lambda e: dict(e, properties={"token": t}))):
            with self.subTest(field=name):
                d = self.fresh_id()
                self.assertCaptured(self.srv.request("POST", "/e/", json.dumps(make(event("t", d)))))
                self.assertEqual(len(self.stored(d)), 1)

    def test_token_errors_are_401_and_store_nothing(self):
        d = self.fresh_id()
        cases = [
            ("personal key", {"api_key": self.srv.personal_key, "batch": [event("x", d)]}),
            ("missing", {"batch": [event("x", d)]}),
            ("unknown", {"api_key": "phc_not_a_project", "batch": [event("x", d)]}),
            ("empty", {"api_key": "", "batch": [event("x", d)]}),
        ]
        for name, body in cases:
            with self.subTest(case=name):
                r = self.srv.request("POST", "/batch/", json.dumps(body))
                err = self.assertError(r, 401)
                self.assertEqual(err["type"], "authentication_error")
        unknown = self.srv.request("POST", "/batch/", json.dumps(cases[2][1])).json()
        self.assertEqual(unknown["code"], "invalid_api_key")
        self.assertIn("Project API key invalid", unknown["detail"])
        self.assertEqual(self.stored(d), [])

    def test_mixed_tokens_are_400(self):
        d = self.fresh_id()
        events = [dict(event("m", d), api_key=self.srv.project_token),
                  dict(event("m", d), api_key="phc_other")]
        self.assertError(self.srv.request("POST", "/e/", json.dumps(events)), 400)
        self.assertEqual(self.stored(d), [])

    # --- distinct ids and all-or-nothing ---------------------------------------------------

    def test_distinct_id_from_properties_and_stringified(self):
        d = self.fresh_id()
        e = event("p", None)
        del e["distinct_id"]
        e["properties"] = {"distinct_id": d}
        self.assertCaptured(self.srv.capture([e]))
        self.assertEqual(len(self.stored(d)), 1)
        n = int(time.time() * 1e6)
        self.assertCaptured(self.srv.capture([event("num", n)]))
        [got] = self.stored(str(n))
        self.assertEqual(got["distinct_id"], str(n))

    def test_distinct_id_cut_at_200_characters(self):
        long_id = "x" * 150 + uuidlib.uuid4().hex + "y" * 100
        self.assertCaptured(self.srv.capture([event("long", long_id)]))
        self.assertEqual(len(self.stored(long_id[:200])), 1)

    def test_one_bad_event_fails_the_request_whole(self):
        d = self.fresh_id()
        bad = event("bad", d)
        del bad["distinct_id"]
        r = self.srv.capture([event("ok", d), event("ok", d), bad])
        err = self.assertError(r, 400)
        self.assertIn("event 2", err["detail"])
        self.assertEqual(self.stored(d), [])

    def test_invalid_events_are_400(self):
        d = self.fresh_id()
        cases = {
            "empty name": event("", d),
            "long name": event("n" * 1025, d),
            "bad uuid": event("e", d, uuid="not-a-uuid"),
            "properties not object": event("e", d, properties=[1]),
            "null distinct id": event("e", None),
        }
        for name, e in cases.items():
            with self.subTest(case=name):
                self.assertError(self.srv.capture([e]), 400)
        # A lone surrogate escape is invalid.
        body = ('{"api_key":"%s","batch":[{"event":"e","distinct_id":"%s",'
                '"properties":{"s":"\\ud800"}}]}' % (self.srv.project_token, d))
        self.assertError(self.srv.request("POST", "/batch/", body), 400)
        self.assertEqual(self.stored(d), [])

    def test_garbage_never_causes_5xx(self):
        bodies = [b"", b"{", b"null", b"[]", b"{}", b"\x1f\x8b\x08\x00garbage", b"\xff\xfe\x00",
                  b'{"batch": 5}', b'{"batch": [5]}', b'[[[]]]', b'"str"', b"data=%%%",
                  b"data=!!!notbase64", b'{"api_key":"x","batch":[{"event":{}}]}']
        for path in ("/batch/", "/e/", "/engage/"):
            for body in bodies:
                with self.subTest(path=path, body=body):
                    r = self.srv.request("POST", path, body, {"Content-Type": "text/plain"})
                    self.assertTrue(400 <= r.status < 500, r)

    def test_duplicate_uuids_are_stored_once(self):
        d = self.fresh_id()
        e = event("dup", d)
        self.assertCaptured(self.srv.capture([e, e]))
        self.assertCaptured(self.srv.capture([e], compress=True))
        self.assertEqual(len(self.stored(d)), 1)

    # --- limits ----------------------------------------------------------------------------

    def test_batch_takes_more_than_two_mib_but_e_does_not(self):
        d = self.fresh_id()
        big = "z" * (200 * 1024)
        events = [event("big", d, properties={"blob": big}) for _ in range(15)]  # ~3 MiB
        self.assertCaptured(self.srv.capture(events, path="/batch/"))
        self.assertEqual(len(self.stored(d)), 15)
        d2 = self.fresh_id()
        events = [event("big", d2, properties={"blob": big}) for _ in range(15)]
        self.assertError(self.srv.capture(events, path="/e/"), 413)
        self.assertEqual(self.stored(d2), [])

    def test_event_over_one_mib_is_413(self):
        d = self.fresh_id()
        e = event("huge", d, properties={"blob": "q" * (1024 * 1024 + 10)})
        self.assertError(self.srv.capture([e], path="/batch/"), 413, "payload_too_large")
        self.assertEqual(self.stored(d), [])

    def test_gzip_bomb_is_413_fast(self):
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b"\0" * (1 << 20)
        parts = [c.compress(b'{"api_key":"x","batch":[{"event":"e","distinct_id":"d","p":"')]
        parts += [c.compress(chunk) for _ in range(512)]  # 512 MiB of zeros
        parts.append(c.flush())
        bomb = b"".join(parts)
        self.assertLess(len(bomb), 2 * 1024 * 1024)
        for path in ("/e/", "/batch/"):
            with self.subTest(path=path):
                start = time.monotonic()
                r = self.srv.request("POST", path, bomb, {"Content-Encoding": "gzip"})
                self.assertError(r, 413, "payload_too_large")
                self.assertLess(time.monotonic() - start, 5.0)

    def test_content_length_over_limit_is_refused_before_the_body(self):
        for path, length in (("/batch/", 20 * 1024 * 1024 + 1), ("/e/", 2 * 1024 * 1024 + 1)):
            with self.subTest(path=path):
                # No body byte is sent: the answer must come anyway.
                r = self.srv.send_raw(("POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: "
                                       "application/json\r\nContent-Length: %d\r\n\r\n"
                                       % (path, length)).encode(), timeout=10)
                self.assertError(r, 413, "payload_too_large")

    # --- CORS, flags -----------------------------------------------------------------------

    def test_cors_preflight_and_headers_on_every_answer(self):
        r = self.srv.request("OPTIONS", "/e/", headers={
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers.get("access-control-allow-origin"), "https://app.example.com")
        self.assertIn("POST", r.headers.get("access-control-allow-methods", ""))
        ok = self.srv.capture([event("cors", self.fresh_id())],
                              headers={"Origin": "https://app.example.com"})
        self.assertEqual(ok.status, 200)
        self.assertEqual(ok.headers.get("access-control-allow-origin"), "https://app.example.com")
        bad = self.srv.capture([event("cors", self.fresh_id())], token="phc_nope",
                               headers={"Origin": "https://app.example.com"})
        self.assertEqual(bad.status, 401)
        self.assertEqual(bad.headers.get("access-control-allow-origin"),
                         "https://app.example.com")

    def test_flags_and_decide_answer_with_no_flags(self):
        for method, path in (("POST", "/flags/?v=2&config=true"), ("GET", "/decide/?v=3"),
                             ("POST", "/decide"), ("GET", "/flags")):
            with self.subTest(path=path):
                r = self.srv.request(method, path, b"{}" if method == "POST" else None,
                                     {"Origin": "http://x.test"})
                self.assertEqual(r.status, 200, r)
                body = r.json()
                self.assertEqual(body["featureFlags"], {})
                self.assertFalse(body["errorsWhileComputingFlags"])
                self.assertTrue(body["elementsChainAsString"])
                self.assertEqual(r.headers.get("access-control-allow-origin"), "http://x.test")

    def test_remote_config(self):
        r = self.srv.request("GET", "/array/%s/config" % self.srv.project_token)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["token"], self.srv.project_token)
        r = self.srv.request("GET", "/array/%s/config.js" % self.srv.project_token)
        self.assertEqual(r.status, 200)
        self.assertIn(b"_POSTHOG_REMOTE_CONFIG", r.body)


if __name__ == "__main__":
    server.main()
