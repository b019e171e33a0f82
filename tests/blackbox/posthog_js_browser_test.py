"""posthog-js in a real browser: Debian's chromium (headless, driven by playwright-core) opens a
small page served by this test, with the real posthog-js from npm and autocapture on, pointed
at actiond. The page views, a click on a span nested in `button.buy`, a click on a link and a
form submit must count exactly in actions with a selector, text, href and URL step, whether the
actions existed before the clicks (live matching) or were created after them (backfill), and
the people endpoint must list the one browser person.

What the page does is scripted in tests/client/autocapture_browser.mjs; the expected counts
below follow from that script alone."""

import http.server
import json
import os
import subprocess
import threading
import time
import unittest

import server

POSTHOG_JS = os.path.join(server.CLIENT_DIR, "node_modules", "posthog-js", "dist",
                          "array.full.js")

# Each action's steps and how many of the page's events it must count.
ACTIONS = [
    ("buy button clicks", [{"event": "$autocapture", "selector": "button.buy"}], 1),
    ("buy text", [{"event": "$autocapture", "text": "Buy now"}], 1),
    ("pricing link", [{"event": "$autocapture", "href": "/pricing", "href_matching": "contains"}],
     1),
    ("pricing views", [{"event": "$pageview", "url": "/pricing", "url_matching": "contains"}], 1),
    ("signups", [{"event": "$autocapture", "selector": "form#signup"}], 1),
    ("signup submits", [{"event": "$autocapture", "tag_name": "form",
                         "properties": [{"key": "$event_type", "value": ["submit"],
                                         "operator": "exact", "type": "event"}]}], 1),
    ("page views", [{"event": "$pageview"}], 2),
    ("any autocapture", [{"event": "$autocapture"}], 3),
    ("nav by selector or buy text", [{"event": "$autocapture", "selector": "a.nav"},
                                     {"event": "$autocapture", "text": "Buy now"}], 2),
]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>%(title)s</title>
<script src="/posthog.js"></script><script src="/init.js"></script></head>
<body><main>%(body)s</main></body></html>
"""
HOME = """<h1>Shop</h1>
<button class="buy primary" id="buy-1"><span class="label">Buy now</span></button>
<a class="nav" href="/pricing">See pricing</a>"""
PRICING = """<h1>Pricing</h1>
<form id="signup" action="/pricing" method="get"><input name="email" value="a@example.com">
<button type="submit">Sign up</button></form>
<script src="/no-submit.js"></script>"""
# The form stays on the page: its submit is captured, the navigation it would start is not
# needed. requestSubmit() fires the submit event without a click on the button.
NO_SUBMIT = "document.querySelector('form#signup').addEventListener('submit', e => e.preventDefault());\n"
# Headless chromium announces itself as such, and posthog-js drops events from agents that look
# like bots unless told otherwise, as PostHog advises for end-to-end tests. posthog-js makes
# anonymous visitors personless by default ($process_person_profile false: no person, so the
# people endpoint would list nobody, docs/semantics.md §8.9); this site asks for profiles.
INIT = """posthog.init(%(token)s, {
  api_host: %(host)s,
  autocapture: true,
  capture_pageview: true,
  capture_pageleave: false,
  disable_session_recording: true,
  capture_dead_clicks: false,
  capture_performance: false,
  disable_surveys: true,
  advanced_disable_feature_flags: true,
  debug: !!window.ACTIOND_DEBUG,
  opt_out_useragent_filter: true,
  person_profiles: 'always',
});
"""


class PageServer:
    """The test's own site on a free loopback port: two pages, posthog-js and its init."""

    def __init__(self, actiond_url, token):
        with open(POSTHOG_JS, "rb") as f:
            posthog_js = f.read()
        init = (INIT % {"token": json.dumps(token), "host": json.dumps(actiond_url)}).encode()
        self.files = {
            "/": ("text/html", (PAGE % {"title": "Shop", "body": HOME}).encode()),
            "/pricing": ("text/html", (PAGE % {"title": "Pricing", "body": PRICING}).encode()),
            "/posthog.js": ("text/javascript", posthog_js),
            "/init.js": ("text/javascript", init),
            "/no-submit.js": ("text/javascript", NO_SUBMIT.encode()),
        }
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                entry = files.get(self.path.split("?")[0])
                if entry is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", entry[0])
                self.send_header("Content-Length", str(len(entry[1])))
                self.end_headers()
                self.wfile.write(entry[1])

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", server.free_port()), Handler)
        self.url = "http://127.0.0.1:%d/" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class PosthogJsBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server.npm_ci(server.CLIENT_DIR, "playwright-core")
        server.require_chromium()
        cls.srv = server.Server().start()
        cls.site = PageServer("http://127.0.0.1:%d" % cls.srv.port, cls.srv.project_token)

    @classmethod
    def tearDownClass(cls):
        cls.site.close()
        cls.srv.cleanup()

    def create_actions(self, prefix):
        ids = {}
        for name, steps, _ in ACTIONS:
            r = self.srv.api("POST", "/api/projects/1/actions/",
                             {"name": "%s %s" % (prefix, name), "steps": steps})
            self.assertEqual(r.status, 201, r)
            ids[name] = r.json()["id"]
        return ids

    def count(self, action_id):
        deadline = time.monotonic() + 60
        while True:
            body = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action_id).json()
            if not body["is_calculating"]:
                return body["count"]
            self.assertLess(time.monotonic(), deadline, "backfill still calculating")
            time.sleep(0.05)

    def test_autocapture_counts_exactly_live_and_backfilled(self):
        live = self.create_actions("live")
        out = subprocess.run(
            ["node", "autocapture_browser.mjs", self.site.url,
             "http://127.0.0.1:%d" % self.srv.port, self.srv.personal_key],
            cwd=server.CLIENT_DIR, capture_output=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr.decode()[-3000:])
        report = json.loads(out.stdout.decode().strip().splitlines()[-1])
        backfilled = self.create_actions("backfill")

        events = self.srv.events(limit=1000)
        self.assertTrue(events, "posthog-js sent nothing")
        for e in events:
            self.assertEqual(e["properties"].get("$lib"), "web", e)
            self.assertEqual(e["distinct_id"], report["distinct_id"], e)
        for name, _, expected in ACTIONS:
            with self.subTest(action=name):
                self.assertEqual(self.count(live[name]), expected, "live")
                self.assertEqual(self.count(backfilled[name]), expected, "backfill")

        for ids in (live, backfilled):
            r = self.srv.api("GET", "/api/projects/1/actions/%d/people/" % ids["buy button clicks"])
            self.assertEqual(r.status, 200, r)
            people = r.json()["results"][0]["people"]
            self.assertEqual(len(people), 1, r)
            person = people[0]
            self.assertIn(report["distinct_id"], person["distinct_ids"])


if __name__ == "__main__":
    server.main()
