"""The web page and the static mounts (docs/web.md): what `/` and `/static/` serve and with which
headers, that hostile paths are refused, PostHog's HTML snippet loading posthog-js from
actiond (tests/client/posthog_snippet.js), and the page itself driven in Debian's chromium by
playwright-core (tests/client/web_page.js): sign-in, the editor with a validation error at its
field, live counts and chart, explain, edit, delete, a hostile name, a read-only key.

The browser run saves a screenshot of each page into a temporary directory, or into
docs/screenshots/ when ACTIOND_UPDATE_SCREENSHOTS=1. Installs web/ and tests/client/ with npm ci
when their node_modules are missing."""

import gzip
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import server

ROOT = server.repo_root()
WEB_DIR = os.path.join(ROOT, "web")
CLIENT_DIR = server.CLIENT_DIR
POSTHOG_JS_DIST = os.path.join(CLIENT_DIR, "node_modules", "posthog-js", "dist")
CHROMIUM = server.CHROMIUM
FIRST_LOAD_MAX_BYTES = 200 * 1024


class StaticMountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server.npm_ci(WEB_DIR, "htm")
        server.npm_ci(CLIENT_DIR, "playwright-core")
        cls.srv = server.Server(args=["--posthog-js-dir", POSTHOG_JS_DIST]).start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_page_has_its_security_headers(self):
        r = self.srv.request("GET", "/")
        self.assertEqual(r.status, 200)
        self.assertIn(b'<script type="module" src="app.js">', r.body)
        csp = r.headers["content-security-policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        self.assertEqual(r.headers["cache-control"], "no-cache")
        self.assertTrue(r.headers["content-type"].startswith("text/html"))

    def test_versioned_library_is_cached_long_and_gzipped(self):
        path = "/node_modules/uplot/dist/uPlot.esm.js?v=1.6.32"
        r = self.srv.request("GET", path, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["content-encoding"], "gzip")
        self.assertEqual(r.headers["cache-control"], "public, max-age=31536000, immutable")
        self.assertIn(b"uPlot", gzip.decompress(r.body))
        again = self.srv.request("GET", path, headers={"Accept-Encoding": "gzip",
                                                       "If-None-Match": r.headers["etag"]})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")

    def test_head_sends_the_length_without_the_body(self):
        get = self.srv.request("GET", "/app.js")
        head = self.srv.request("HEAD", "/app.js")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, b"")
        self.assertEqual(head.headers["content-length"], str(len(get.body)))

    def test_posthog_js_is_served_under_static(self):
        with open(os.path.join(POSTHOG_JS_DIST, "array.js"), "rb") as f:
            expected = f.read()
        r = self.srv.request("GET", "/static/array.js")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, expected)
        self.assertTrue(r.headers["content-type"].startswith("text/javascript"))
        self.assertNotIn("content-security-policy", r.headers)
        # The snippet loads it with crossOrigin="anonymous": a CORS request from any site.
        self.assertEqual(r.headers["access-control-allow-origin"], "*")

    def test_posthogs_html_snippet_loads_from_actiond_and_sends(self):
        server.require_chromium()
        out = subprocess.run(
            ["node", "posthog_snippet.js", "http://127.0.0.1:%d" % self.srv.port,
             self.srv.project_token, self.srv.personal_key, "snippet_loaded"],
            cwd=CLIENT_DIR, capture_output=True, timeout=90, env=dict(os.environ, CHROMIUM=CHROMIUM))
        self.assertEqual(out.returncode, 0, out.stderr.decode()[-3000:])
        report = json.loads(out.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(report["array_js_status"], 200, report["requests"])
        self.assertIsNotNone(report["event"], report["requests"])
        self.assertEqual(report["event"]["properties"]["from"], "snippet")
        self.assertEqual(report["event"]["properties"]["$lib"], "web")

    def test_hostile_paths_are_refused_in_posthogs_shape(self):
        for path in ["/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                     "/%2fetc%2fpasswd", "//etc/passwd", "/app.js%00", "/.gitignore",
                     "/static/..%5c..%5cetc%5cpasswd", "/no-such-file.js"]:
            r = self.srv.send_raw(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                   % path).encode())
            self.assertEqual(r.status, 404, path)
            body = r.json()
            self.assertEqual(body["code"], "not_found", path)
            self.assertEqual(set(body), {"type", "code", "detail", "attr"})

    def test_other_methods_are_405_on_files_and_the_api_is_unchanged(self):
        r = self.srv.request("POST", "/static/array.js", body=b"x")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.headers["allow"], "GET, HEAD")
        self.assertEqual(r.json()["code"], "method_not_allowed")
        self.assertEqual(self.srv.request("POST", "/api/nothing/here", body=b"x").status, 404)
        self.assertEqual(self.srv.request("GET", "/api/projects/1/actions/").status, 401)

    def test_current_key_tells_its_scopes(self):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "ro", "scopes": ["action:read"]})
        self.assertEqual(r.status, 201, r)
        me = self.srv.api("GET", "/api/personal_api_keys/@current/", key=r.json()["value"])
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json()["scopes"], ["action:read"])
        self.assertNotIn("value", me.json())
        self.assertEqual(self.srv.request("GET", "/api/personal_api_keys/@current/").status, 401)


class FlagsTest(unittest.TestCase):
    def test_a_missing_web_dir_refuses_to_start(self):
        srv = server.Server(args=["--web-dir", "/nonexistent/web"])
        try:
            with self.assertRaises(RuntimeError) as caught:
                srv.start(timeout=10)
            self.assertIn("--web-dir", str(caught.exception))
        finally:
            srv.cleanup()

    def test_first_start_prints_the_page_next_to_the_key(self):
        srv = server.Server(personal_key=None).start()
        try:
            out = srv.stdout()
            self.assertIn("personal API key (shown once, keep it): phx_", out)
            self.assertIn("web page: http://127.0.0.1:%d/" % srv.port, out)
        finally:
            srv.cleanup()


class WebPageBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server.require_chromium()
        server.npm_ci(WEB_DIR, "htm")
        server.npm_ci(CLIENT_DIR, "playwright-core")
        cls.srv = server.Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_the_issue_script_in_a_real_browser(self):
        update = os.environ.get("ACTIOND_UPDATE_SCREENSHOTS") == "1"
        shots = (os.path.join(ROOT, "docs", "screenshots") if update
                 else tempfile.mkdtemp(prefix="actiond-shots-"))
        os.makedirs(shots, exist_ok=True)
        try:
            out = subprocess.run(
                ["node", "web_page.js", "http://127.0.0.1:%d" % self.srv.port,
                 self.srv.personal_key, self.srv.project_token, shots],
                cwd=CLIENT_DIR, capture_output=True, timeout=120,
                env=dict(os.environ, CHROMIUM=CHROMIUM))
            self.assertEqual(out.returncode, 0,
                             out.stdout.decode()[-2000:] + out.stderr.decode()[-3000:])
            figures = json.loads(out.stdout.decode().strip().splitlines()[-1])
            print("web page figures:", json.dumps(figures))
            self.assertLessEqual(figures["first_load_bytes"], FIRST_LOAD_MAX_BYTES)
            self.assertLessEqual(figures["list_update_ms"], 5000)
            for name in ["signin", "editor-validation-error", "editor-test", "action",
                         "explain", "actions", "live-events", "read-only"]:
                self.assertTrue(os.path.getsize(os.path.join(shots, name + ".png")) > 1000, name)
        finally:
            if not update:
                shutil.rmtree(shots, ignore_errors=True)


if __name__ == "__main__":
    server.main()
