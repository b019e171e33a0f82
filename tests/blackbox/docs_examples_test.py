"""Runs every executable example of docs/api.md against a fresh server, in document order, and
checks each answer against the document.

An executable example is a fenced ```sh block holding exactly one curl command (backslash line
continuations allowed) that uses $ACTIOND (the server's base URL), $KEY (the personal API key)
and $TOKEN (the project token), immediately followed by a fenced ```json block: the expected
response body. In the expected JSON the string "…" stands for any value (a uuid, a time, a URL
with the server's port); everything else must be equal (objects with the same members, arrays
of the same length). An empty ```json block expects an empty body (a 204).

The examples run in one shell each (bash, with curl made silent through a .curlrc), so what the
document shows is exactly what a reader types. Between examples the runner waits until no
action of the project is calculating, as a reader would before reading a count: a backfill's
progress depends on timing, its result does not.

Examples that cannot be run deterministically stay indented plain text in docs/api.md and are
not run here: the gzip example (a pipeline of echo, gzip and curl, not one curl command) and the
`format=csv` examples (CSV bodies, not JSON); the answer of a count during a recompute is shown as
a sample, not an example (its numbers depend on how far the backfill has got). Any other ```sh block without its ```json answer
fails the test, so no example escapes checking by accident. The runner needs no particular
section: another section's examples (e.g. one added later) run in their place in the order.
"""

import json
import os
import re
import subprocess
import tempfile
import time
import unittest

import server

ANY = "\u2026"  # "…"


def parse_examples(text):
    """[(line number, command, expected JSON text)] in document order."""
    fence = re.compile(r"^```(\w*)\s*$")
    blocks = []  # (language, first line number, body)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = fence.match(lines[i])
        if m:
            start = i
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append((m.group(1), start + 1, "\n".join(body), i))
        i += 1
    examples = []
    for n, (lang, line, body, end) in enumerate(blocks):
        if lang != "sh":
            continue
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        adjacent = following is not None and following[0] == "json" and all(
            not l.strip() for l in lines[end + 1:following[1] - 1])
        if not adjacent:
            raise AssertionError("docs/api.md:%d: a ```sh example without its ```json answer "
                                 "right after it" % line)
        examples.append((line, body, following[2]))
    return examples


def check_one_curl(line, command):
    """Fails unless `command` is one curl command: no newline, `;`, `|` or `&` outside quotes
    (inside quotes, a JSON body may span lines and a $(...) may pipe)."""
    joined = re.sub(r"\\\n", " ", command).strip()
    quote = None
    for c in joined:
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "\n;|&":
            raise AssertionError("docs/api.md:%d: an example is exactly one curl command" % line)
    if not joined.startswith("curl "):
        raise AssertionError("docs/api.md:%d: an example is exactly one curl command" % line)


def matches(expected, got, path="$"):
    """None when `got` fits `expected`, else where it does not."""
    if expected == ANY:
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return "%s: expected an object, got %r" % (path, got)
        if list(expected) != list(got):
            return "%s: members %s, got %s" % (path, list(expected), list(got))
        for key in expected:
            where = matches(expected[key], got[key], "%s.%s" % (path, key))
            if where:
                return where
        return None
    if isinstance(expected, list):
        if not isinstance(got, list) or len(expected) != len(got):
            return "%s: expected %d items, got %r" % (path, len(expected), got)
        for n, (e, g) in enumerate(zip(expected, got)):
            where = matches(e, g, "%s[%d]" % (path, n))
            if where:
                return where
        return None
    if type(expected) is not type(got) or expected != got:
        return "%s: expected %r, got %r" % (path, expected, got)
    return None


class DocsExamplesTest(unittest.TestCase):
    def setUp(self):
        self.srv = server.Server().start()
        self.curl_home = tempfile.mkdtemp(prefix="actiond-docs-")
        with open(os.path.join(self.curl_home, ".curlrc"), "w") as f:
            f.write("silent\nshow-error\n")

    def tearDown(self):
        self.srv.cleanup()

    def wait_backfills(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            projects = self.srv.api("GET", "/api/projects/").json()["results"]
            busy = False
            for p in projects:
                r = self.srv.api("GET", "/api/projects/%d/actions/?limit=1000" % p["id"])
                busy = busy or any(a["is_calculating"] for a in r.json()["results"])
            if not busy:
                return
            time.sleep(0.05)
        self.fail("backfills still running after 20 s")

    def test_every_example_in_document_order(self):
        with open(os.path.join(server.repo_root(), "docs", "api.md"), encoding="utf-8") as f:
            examples = parse_examples(f.read())
        self.assertGreater(len(examples), 20)
        env = dict(os.environ, ACTIOND="http://127.0.0.1:%d" % self.srv.port,
                   KEY=self.srv.personal_key, TOKEN=self.srv.project_token,
                   CURL_HOME=self.curl_home, HOME=self.curl_home)
        for line, command, expected_text in examples:
            check_one_curl(line, command)
            run = subprocess.run(["bash", "-c", command], env=env, capture_output=True,
                                 timeout=30)
            body = run.stdout.decode("utf-8")
            where = "docs/api.md:%d\n%s\n" % (line, command)
            self.assertEqual(run.returncode, 0, where + run.stderr.decode("utf-8", "replace"))
            if not expected_text.strip():
                self.assertEqual(body, "", where)
            else:
                expected = json.loads(expected_text)
                try:
                    got = json.loads(body)
                except ValueError:
                    self.fail(where + "not JSON: %r" % body[:500])
                mismatch = matches(expected, got)
                self.assertIsNone(mismatch, where + "%s\nanswer: %s" % (mismatch, body[:3000]))
            self.wait_backfills()


if __name__ == "__main__":
    server.main()
