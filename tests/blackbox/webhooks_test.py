"""Webhooks from the outside (docs/webhooks.md): the project's slack_incoming_webhook, the body
chosen by URL (Slack, Discord, Teams), HTTPS with a private CA, REST hooks, dead letters and
retry, a receiver that is down for a while, and what never sends (a backfill, a soft-deleted
action, post_to_slack turned off). Receivers are real HTTP(S) servers on 127.0.0.1; which body a
URL gets is decided by the URL's text, so the receivers' paths carry the service names."""

import time
import unittest

import server
import webhook_receiver as wr


def wait_until(predicate, timeout=20.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


class WebhookTestBase(unittest.TestCase):
    server_args = ("--webhook-backoff", "0.2", "--site-url", "https://ph.example.com/")

    @classmethod
    def setUpClass(cls):
        cls.receiver = wr.Receiver().start()
        cls.srv = server.Server(args=cls.server_args).start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()
        cls.receiver.stop()

    def setUp(self):
        self.receiver.status = 200
        self.receiver.delay = 0
        self.receiver.retry_after = None

    def set_webhook(self, url, project=1):
        r = self.srv.api("PATCH", "/api/projects/%s/" % project, {"slack_incoming_webhook": url})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def create_action(self, name, event, post_to_slack=True, fmt=None, project=1):
        body = {"name": name, "post_to_slack": post_to_slack, "steps": [{"event": event}]}
        if fmt is not None:
            body["slack_message_format"] = fmt
        r = self.srv.api("POST", "/api/projects/%s/actions/" % project, body)
        self.assertEqual(r.status, 201, r)
        action = r.json()
        # Wait for its backfill, so that what follows is live matching only.
        wait_until(lambda: not self.srv.api(
            "GET", "/api/projects/%s/actions/%d/" % (project, action["id"])).json()["is_calculating"])
        return action

    def capture(self, *events):
        r = self.srv.capture(list(events))
        self.assertEqual(r.status, 200, r)

    def arrivals_since(self, before, count, timeout=20.0):
        got = self.receiver.wait_for(before + count, timeout)
        return got[before:]

    def deliveries(self, status, project=1):
        r = self.srv.api("GET", "/api/projects/%s/webhook_deliveries/?status=%s" % (project, status))
        self.assertEqual(r.status, 200, r)
        return r.json()["results"]


class ProjectSettingTest(WebhookTestBase):
    def test_set_show_and_clear(self):
        url = self.receiver.url("/services/hooks.slack.com/T/B/x")
        self.assertEqual(self.set_webhook(url)["slack_incoming_webhook"], url)
        self.assertEqual(self.srv.api("GET", "/api/projects/1/").json()["slack_incoming_webhook"], url)
        self.assertIsNone(self.set_webhook(None)["slack_incoming_webhook"])
        self.assertIsNone(self.set_webhook("")["slack_incoming_webhook"])

    def test_only_http_urls_with_a_host(self):
        for bad in ("NOT_A_URL", "ftp://example.com/x", "http://", "https:///path",
                    "javascript:alert(1)", "http://a b/"):
            r = self.srv.api("PATCH", "/api/projects/1/", {"slack_incoming_webhook": bad})
            self.assertEqual(r.status, 400, (bad, r))
            body = r.json()
            self.assertEqual(body["attr"], "slack_incoming_webhook", body)
            self.assertEqual(body["type"], "validation_error")
            self.assertEqual(body["detail"], "Enter a valid URL.")
        r = self.srv.api("PATCH", "/api/projects/1/", {"slack_incoming_webhook": 5})
        self.assertEqual((r.status, r.json()["attr"]), (400, "slack_incoming_webhook"))

    def test_needs_a_key_that_may_write_projects(self):
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "ro", "scopes": ["action:read", "project:read"]})
        self.assertEqual(r.status, 201, r)
        key = r.json()["value"]
        r = self.srv.api("PATCH", "/api/projects/1/", {"slack_incoming_webhook": None}, key=key)
        self.assertEqual(r.status, 403, r)


class MessagesTest(WebhookTestBase):
    def test_body_and_links_follow_the_url(self):
        action = self.create_action("Signed up", "signed_up",
                                    fmt="[action.name] by [person]: [event.properties.plan]")
        aid = action["id"]
        cases = [
            ("/services/hooks.slack.com/T/B/x", "text",
             "<https://ph.example.com/project/1/action/%d|Signed up> by "
             "<https://ph.example.com/project/1/person/ada|ada@x.io>: a&lt;b" % aid),
            ("/api/webhooks/discord.com/1/t", "content",
             "[Signed up](https://ph.example.com/project/1/action/%d) by "
             "[ada@x.io](https://ph.example.com/project/1/person/ada): a<b" % aid),
            ("/webhookb2/teams", "text",
             "[Signed up](https://ph.example.com/project/1/action/%d) by "
             "[ada@x.io](https://ph.example.com/project/1/person/ada): a<b" % aid),
        ]
        for path, field, text in cases:
            with self.subTest(path=path):
                self.set_webhook(self.receiver.url(path))
                before = len(self.receiver.received())
                e = server.event("signed_up", "ada", properties={"plan": "a<b",
                                                                 "$set": {"email": "ada@x.io"}})
                self.capture(e, server.event("other", "ada"))
                got = self.arrivals_since(before, 1)
                self.assertEqual(len(got), 1, got)
                self.assertEqual(got[0].path, path)
                self.assertEqual(got[0].body, {field: text})
                self.assertEqual(got[0].key, "%s:%d" % (e["uuid"], aid))
                self.assertEqual(got[0].headers["content-type"], "application/json")

    def test_default_format_and_unicode(self):
        self.set_webhook(self.receiver.url("/services/hooks.slack.com/T/B/y"))
        action = self.create_action("Café ☕", "coffee")
        before = len(self.receiver.received())
        self.capture(server.event("coffee", "zoë"))
        got = self.arrivals_since(before, 1)
        self.assertEqual(got[0].body["text"],
                         "<https://ph.example.com/project/1/action/%d|Café ☕> was triggered by "
                         "<https://ph.example.com/project/1/person/zo%%C3%%AB|zoë>" % action["id"])


class NeverSendsTest(WebhookTestBase):
    def test_backfill_soft_delete_and_post_to_slack_off_send_nothing(self):
        self.set_webhook(self.receiver.url("/services/hooks.slack.com/T/B/n"))
        self.capture(*[server.event("old", "u%d" % i) for i in range(5)])
        before = len(self.receiver.received())
        action = self.create_action("Old", "old")  # backfills 5 matches
        count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action["id"]).json()
        self.assertEqual(count["count"], 5)
        path = "/api/projects/1/actions/%d/" % action["id"]
        self.assertEqual(self.srv.api("PATCH", path, {"deleted": True}).status, 200)
        self.capture(server.event("old", "deleted-time"))
        self.assertEqual(self.srv.api("PATCH", path, {"deleted": False,
                                                      "post_to_slack": False}).status, 200)
        self.capture(server.event("old", "off-time"))
        time.sleep(1.0)
        self.assertEqual(self.receiver.received()[before:], [])
        self.assertEqual(self.deliveries("pending"), [])
        # Turned back on: the next match sends.
        self.assertEqual(self.srv.api("PATCH", path, {"post_to_slack": True}).status, 200)
        on = server.event("old", "on-time")
        self.capture(on)
        got = self.arrivals_since(before, 1)
        self.assertEqual([g.key for g in got], ["%s:%d" % (on["uuid"], action["id"])])


class RestHooksTest(WebhookTestBase):
    def test_subscribe_list_receive_unsubscribe(self):
        action = self.create_action("Paid", "paid", post_to_slack=False)
        target = self.receiver.url("/hooks.zapier.com/abc/")
        r = self.srv.api("POST", "/api/projects/1/hooks/",
                         {"target": target, "event": "action_performed", "resource_id": action["id"]})
        self.assertEqual(r.status, 201, r)
        hook = r.json()
        self.assertEqual({k: hook[k] for k in ("event", "target", "resource_id", "team")},
                         {"event": "action_performed", "target": target,
                          "resource_id": action["id"], "team": 1})
        self.assertTrue(hook["id"] and hook["created_at"])
        listed = self.srv.api("GET", "/api/projects/1/hooks/?resource_id=%d" % action["id"]).json()
        self.assertEqual([h["id"] for h in listed["results"]], [hook["id"]])
        self.assertEqual(self.srv.api("GET", "/api/projects/1/hooks/?resource_id=999").json()["results"], [])
        self.assertEqual(self.srv.api("GET", "/api/projects/1/hooks/%s/" % hook["id"]).json(), hook)

        before = len(self.receiver.received())
        e = server.event("paid", "bob", properties={"amount": 5, "$set": {"name": "Bob"}},
                         elements_chain='button.buy:text="Pay"nth-child="1"')
        self.capture(e)
        got = self.arrivals_since(before, 1)
        self.assertEqual(len(got), 1, got)
        self.assertEqual(got[0].path, "/hooks.zapier.com/abc/")
        self.assertEqual(got[0].key, "%s:%d:%s" % (e["uuid"], action["id"], hook["id"]))
        body = got[0].body
        self.assertEqual(body["hook"], {"id": hook["id"], "event": "action_performed",
                                        "target": target})
        data = body["data"]
        self.assertEqual((data["eventUuid"], data["event"], data["teamId"], data["distinctId"]),
                         (e["uuid"], "paid", 1, "bob"))
        self.assertEqual(data["properties"]["amount"], 5)
        self.assertEqual(data["person"]["properties"], {"name": "Bob"})
        self.assertEqual([(el["tag_name"], el["text"], el["attr_class"]) for el in data["elementsList"]],
                         [("button", "Pay", ["buy"])])

        self.assertEqual(self.srv.api("DELETE", "/api/projects/1/hooks/%s/" % hook["id"]).status, 204)
        self.assertEqual(self.srv.api("DELETE", "/api/projects/1/hooks/%s/" % hook["id"]).status, 404)
        self.capture(server.event("paid", "bob"))
        time.sleep(0.5)
        self.assertEqual(len(self.receiver.received()), before + 1)

    def test_bad_subscriptions(self):
        cases = [({"target": "NOT_A_URL", "event": "action_performed"}, "target", "Enter a valid URL."),
                 ({"event": "action_performed"}, "target", "This field is required."),
                 ({"target": "https://x.io/", "event": "annotation_created"}, "event", None),
                 ({"target": "https://x.io/", "event": "action_performed", "resource_id": 99999},
                  "resource_id", None),
                 ({"target": "https://x.io/", "event": "action_performed", "resource_id": "x"},
                  "resource_id", None)]
        for body, attr, detail in cases:
            r = self.srv.api("POST", "/api/projects/1/hooks/", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertEqual(r.json()["attr"], attr, r)
            if detail:
                self.assertEqual(r.json()["detail"], detail)
        r = self.srv.api("POST", "/api/personal_api_keys/", {"label": "ro", "scopes": ["action:read"]})
        key = r.json()["value"]
        r = self.srv.api("POST", "/api/projects/1/hooks/",
                         {"target": "https://x.io/", "event": "action_performed"}, key=key)
        self.assertEqual(r.status, 403, r)


class FailuresTest(WebhookTestBase):
    def test_a_refused_delivery_is_a_dead_letter_until_retried(self):
        self.set_webhook(self.receiver.url("/services/hooks.slack.com/T/B/f"))
        action = self.create_action("Refused", "refused")
        self.receiver.status = 400
        before = len(self.receiver.received())
        e = server.event("refused", "r1")
        self.capture(e)
        failed = wait_until(lambda: self.deliveries("failed"))
        self.assertEqual(len(failed), 1, failed)
        d = failed[0]
        self.assertEqual((d["status"], d["action_id"], d["event_uuid"], d["attempts"],
                          d["last_status"], d["hook_id"]),
                         ("failed", action["id"], e["uuid"], 1, 400, None))
        self.assertEqual(d["last_error"], "HTTP 400")
        time.sleep(0.6)
        self.assertEqual(len(self.receiver.received()), before + 1, "a 400 is final: no retry")

        self.receiver.status = 200
        r = self.srv.api("POST", "/api/projects/1/webhook_deliveries/%d/retry/" % d["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "pending")
        got = self.arrivals_since(before + 1, 1)
        self.assertEqual([g.key for g in got], ["%s:%d" % (e["uuid"], action["id"])])
        self.assertTrue(wait_until(lambda: not self.deliveries("failed") and not self.deliveries("pending")))
        r = self.srv.api("POST", "/api/projects/1/webhook_deliveries/%d/retry/" % d["id"])
        self.assertEqual(r.status, 404)
        r = self.srv.api("GET", "/api/projects/1/webhook_deliveries/?status=sent")
        self.assertEqual((r.status, r.json()["attr"]), (400, "status"))

    def test_deliveries_wait_for_a_receiver_that_is_down(self):
        port = wr.free_port()
        self.set_webhook("http://127.0.0.1:%d/services/hooks.slack.com/T/B/down" % port)
        action = self.create_action("While down", "down")
        events = [server.event("down", "d%d" % i) for i in range(3)]
        self.capture(*events)
        pending = wait_until(lambda: [d for d in self.deliveries("pending") if d["attempts"] >= 2])
        self.assertTrue(pending, "retried while the receiver was down")
        self.assertIsNone(pending[0]["last_status"])
        self.assertTrue(pending[0]["last_error"])
        late = wr.Receiver(port=port).start()
        try:
            got = late.wait_for(3, timeout=30)
            self.assertEqual(sorted(g.key for g in got),
                             sorted("%s:%d" % (e["uuid"], action["id"]) for e in events))
        finally:
            late.stop()


class HttpsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ca = wr.TestCa()
        cls.receiver = wr.Receiver(tls=cls.ca).start()

    @classmethod
    def tearDownClass(cls):
        cls.receiver.stop()

    def run_server(self, args):
        srv = server.Server(args=("--webhook-backoff", "0.2") + tuple(args)).start()
        self.addCleanup(srv.cleanup)
        url = self.receiver.url("/services/hooks.slack.com/T/B/tls")
        self.assertEqual(srv.api("PATCH", "/api/projects/1/", {"slack_incoming_webhook": url}).status, 200)
        r = srv.api("POST", "/api/projects/1/actions/",
                    {"name": "TLS", "post_to_slack": True, "steps": [{"event": "tls"}]})
        self.assertEqual(r.status, 201)
        return srv, r.json()["id"]

    def test_a_private_ca_given_by_flag_is_trusted(self):
        srv, aid = self.run_server(["--webhook-ca-file", self.ca.ca])
        before = len(self.receiver.received())
        e = server.event("tls", "t")
        self.assertEqual(srv.capture([e]).status, 200)
        got = self.receiver.wait_for(before + 1)[before:]
        self.assertEqual([g.key for g in got], ["%s:%d" % (e["uuid"], aid)])

    def test_an_unknown_ca_is_refused(self):
        srv, _ = self.run_server([])
        before = len(self.receiver.received())
        self.assertEqual(srv.capture([server.event("tls", "t")]).status, 200)
        pending = wait_until(lambda: [d for d in srv.api(
            "GET", "/api/projects/1/webhook_deliveries/?status=pending").json()["results"]
            if d["attempts"] >= 1])
        self.assertTrue(pending)
        self.assertIn("certificate", pending[0]["last_error"])
        self.assertEqual(len(self.receiver.received()), before, "nothing reached the receiver")


if __name__ == "__main__":
    server.main()
