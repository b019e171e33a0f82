#!/usr/bin/env python3
"""Regenerates the seed corpora of tests/fuzz/corpus/<target>/ from the SDK captures
(tests/golden/sdk-captures) and the conformance cases (tests/conformance/matching.jsonl).

Seeds are small (at most MAX_BYTES) and named after what they hold, so a failing seed says where
it came from. The corpora are committed; rerun this only to reseed (it replaces the seed_* files
of each corpus and leaves files libFuzzer added with --update-corpus alone).

Usage: tests/fuzz/make_corpus.py
"""
import argparse
import base64
import glob
import gzip
import json
import os
import re
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(REPO, "tests", "conformance", "matching.jsonl")
CAPTURES = os.path.join(REPO, "tests", "golden", "sdk-captures")
MAX_BYTES = 4096
PER_TARGET = 40


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def load_golden():
    cases = []
    with open(CASES, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip() and not line.startswith("#"):
                case = json.loads(line)
                case["line"] = n
                cases.append(case)
    return cases


def steps_of(case):
    return case["action"]["steps"] if "action" in case else [case["step"]]


def events_of(case):
    return case["events"] if "events" in case else [case["event"]]


def chain_of(event):
    return event.get("elements_chain") or event.get("properties", {}).get("$elements_chain")


def record_of(case, event):
    """The stored record the matcher reads, built as tests/engine/golden_test.cc builds it."""
    record = {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "event": event.get("event"),
        "distinct_id": event.get("distinct_id", "golden-user"),
        "timestamp": event.get("timestamp", "2026-01-01T00:00:00.000Z"),
        "properties": event.get("properties") or {},
    }
    if "elements_chain" in event:
        record["elements_chain"] = event["elements_chain"]
    record["person_properties"] = case.get("person", {})
    return compact(record)


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(HERE, "corpus", target)
        os.makedirs(self.dir, exist_ok=True)
        for old in glob.glob(os.path.join(self.dir, "seed_*")):
            os.remove(old)
        self.seen = set()

    def full(self):
        return len(self.seen) >= PER_TARGET

    def add(self, name, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX_BYTES or data in self.seen or self.full():
            return False
        self.seen.add(data)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:60]
        path, n = os.path.join(self.dir, "seed_" + name), 1
        while os.path.exists(path):
            n += 1
            path = os.path.join(self.dir, f"seed_{name}-{n}")
        with open(path, "wb") as f:
            f.write(data)
        return True


def trimmed_batch(decoded, keep):
    """A decoded capture body with only its first `keep` events, each with few properties."""
    body = json.loads(decoded)
    batch = body.get("batch") if isinstance(body, dict) else body
    if not isinstance(batch, list):
        return compact(body)
    events = []
    for event in batch[:keep]:
        event = dict(event)
        props = event.get("properties")
        if isinstance(props, dict):
            wanted = [k for k in props if k in ("distinct_id", "token", "$current_url",
                                                "$elements_chain", "$lib", "$set", "$unset",
                                                "$anon_distinct_id", "alias",
                                                "$process_person_profile")]
            event["properties"] = {k: props[k] for k in wanted}
        events.append(event)
    if isinstance(body, dict):
        body = dict(body)
        body["batch"] = events
        return compact(body)
    return compact(events)


def capture_name(path, captures):
    """`node-v0-batch-gzip-001` for posthog-node-5.70.0/v0-batch-gzip/001.raw."""
    client, folder, file = os.path.relpath(path, captures).split("/")
    return f"{client.split('-')[1]}-{folder}-{file.split('.')[0]}"


def request(method, target, body=b"", headers=()):
    head = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    if isinstance(body, str):
        body = body.encode("utf-8")
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def capture_corpus():
    corpus = Corpus("capture")
    captures = CAPTURES
    decoded_bodies = []
    for decoded in sorted(glob.glob(os.path.join(captures, "*/*/*.decoded.json"))):
        with open(decoded, encoding="utf-8") as f:
            decoded_bodies.append(("decoded-" + capture_name(decoded, captures),
                                   trimmed_batch(f.read(), 2)))
    small = min((text for _, text in decoded_bodies), key=len)
    event = {"event": "$pageview", "distinct_id": "u1",
             "properties": {"$current_url": "https://example.com/pricing", "token": "phc_test"}}
    one = compact(dict(event, api_key="phc_test"))
    b64 = base64.b64encode(one.encode()).decode()
    seeds = [
        ("single-event", request("POST", "/capture/", one, [("Content-Type", "application/json")])),
        ("bare-array", request("POST", "/batch/", compact([event]))),
        ("engage", request("POST", "/engage/", compact(
            {"$set": {"email": "a@b.c"}, "$distinct_id": "u1", "$token": "phc_test"}))),
        ("v1-bearer", request("POST", "/i/v1/analytics/events", compact(
            {"created_at": "2026-01-01T00:00:00Z", "batch": [event]}),
            [("Authorization", "Bearer phc_test")])),
        ("form-base64", request("POST", "/e/?compression=base64",
                                "data=" + urllib.parse.quote(b64),
                                [("Content-Type", "application/x-www-form-urlencoded")])),
        ("form-urlencoded-json", request("POST", "/track", "data=" + urllib.parse.quote(one),
                                         [("Content-Type", "application/x-www-form-urlencoded")])),
        ("get-data-base64", request("GET", "/e/?data=" + urllib.parse.quote(b64) + "&_=1767225600000")),
        ("get-data-json", request("GET", "/i/v0/e/?data=" + urllib.parse.quote(one))),
        ("gzip-header", request("POST", "/batch/", gzip.compress(small.encode(), mtime=0),
                                [("Content-Encoding", "gzip")])),
        ("gzip-js-query", request("POST", "/e/?compression=gzip-js&ver=1.449.2",
                                  gzip.compress(one.encode(), mtime=0),
                                  [("Content-Type", "text/plain")])),
        ("gzip-base64", request("POST", "/e/?compression=base64", base64.b64encode(
            gzip.compress(one.encode(), mtime=0)))),
        ("lz64-refused", request("POST", "/e/?compression=lz64", "data=abc")),
        ("gzip-bomb-small", request("POST", "/batch/", gzip.compress(b"[" + b" " * 200000, mtime=0),
                                    [("Content-Encoding", "gzip")])),
        ("nested-deep", "[" * 300 + "]" * 300),
        ("big-integer", compact({"api_key": "k", "batch": [{"event": "e", "distinct_id": 1,
                                 "properties": {"n": 10**30}}]})),
        ("lone-surrogate", '{"api_key":"k","event":"e","distinct_id":"\\ud800"}'),
    ]
    # Hand-made shapes first, then the SDKs' requests byte for byte, then their decoded bodies.
    for name, data in seeds:
        corpus.add(name, data)
    for raw in sorted(glob.glob(os.path.join(captures, "*/*/*.raw"))):
        with open(raw, "rb") as f:
            corpus.add("raw-" + capture_name(raw, captures), f.read())
    for name, text in decoded_bodies:
        corpus.add(name, text)
    return corpus


def elements_chain_corpus(cases):
    corpus = Corpus("elements_chain")
    chains = []
    for case in cases:
        for event in events_of(case):
            chain = chain_of(event)
            if chain:
                chains.append((f"golden-line{case['line']}", chain))
    for decoded in sorted(glob.glob(os.path.join(CAPTURES, "*/*/*.decoded.json"))):
        with open(decoded, encoding="utf-8") as f:
            body = json.load(f)
        for i, event in enumerate(body.get("batch", []) if isinstance(body, dict) else []):
            chain = chain_of(event)
            if chain:
                chains.append((f"sdk-{os.path.basename(os.path.dirname(decoded))}-{i}", chain))
    # Hand-written edge cases of the grammar (elements_chain.h).
    chains += [("escapes", 'a:text="say \\"hi\\" \\\\ ok"attr__x="\\q"'),
               ("unterminated", 'a.b:text="open'),
               ("colon-in-class", 'a.hover:underline.md:flex:href="/x"'),
               ("positions", 'li:nth-child="-2147483648"nth-of-type="99999999999";ul'),
               ("empty-parts", ';;  ;a..b.;'),
               ("twice", 'a:text="1"text="2"attr__id="x"attr_id="y"')]
    for name, chain in chains:
        corpus.add(name, chain)
    return corpus


def selector_corpus(cases):
    corpus = Corpus("selector")
    default_chain = None
    pairs = []
    for case in cases:
        chains = [chain_of(e) for e in events_of(case) if chain_of(e)]
        if chains and default_chain is None:
            default_chain = chains[0]
        for step in steps_of(case):
            selectors = []
            if step.get("selector"):
                selectors.append(step["selector"])
            for f in step.get("properties") or []:
                if f.get("type") == "element" and f.get("key") == "selector":
                    value = f.get("value")
                    selectors += value if isinstance(value, list) else [value]
            for selector in selectors:
                if isinstance(selector, str):
                    pairs.append((f"golden-line{case['line']}", selector, chains[0] if chains else None))
    pairs += [("escape", ".hover\\:underline", None), ("quoted-bracket", "[title='a]b']", None),
              ("child-no-space", "li>a", None), ("unsupported", "a:hover", None),
              ("dangling", "div >", None), ("deep", " ".join(["div"] * 60) + " a", None)]
    for name, selector, chain in pairs:
        corpus.add(name, selector + "\n" + (chain or default_chain or ""))
    return corpus


def action_corpus(cases):
    corpus = Corpus("action")
    # Most varied first: cases whose steps use the most distinct conditions and operators.
    def variety(case):
        keys = set()
        for step in steps_of(case):
            keys |= {k for k, v in step.items() if v not in (None, "", [])}
            for f in step.get("properties") or []:
                keys.add(f"{f.get('type', 'event')}:{f.get('operator', 'exact')}")
        return keys
    chosen, covered = [], set()
    for case in sorted(cases, key=lambda c: -len(variety(c))):
        if not variety(case) <= covered:
            chosen.append(case)
            covered |= variety(case)
    chosen += [c for c in cases if c not in chosen]
    for case in chosen:
        body = {"name": case["name"], "description": case["why"][:80], "tags": ["golden"],
                "post_to_slack": False, "steps": steps_of(case)}
        corpus.add(f"golden-line{case['line']}", compact(body))
    return corpus


def property_filter_corpus(cases):
    corpus = Corpus("property_filter")
    chosen, covered = [], set()
    for case in cases:
        for step in steps_of(case):
            filters = step.get("properties") or []
            if not filters:
                continue
            kinds = {f"{f.get('type', 'event')}:{f.get('operator', 'exact')}" for f in filters}
            event = events_of(case)[0]
            entry = (f"golden-line{case['line']}", compact(filters), record_of(case, event))
            if not kinds <= covered:
                chosen.insert(0, entry)
                covered |= kinds
            else:
                chosen.append(entry)
    for name, filters, record in chosen:
        corpus.add(name, filters + "\n" + record)
    return corpus


def conformance_record(case, event):
    """The stored record of a conformance case's event (as the capture path would store it)."""
    properties = dict(event.get("properties") or {})
    record = {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "event": event.get("event"),
        "distinct_id": event.get("distinct_id", "conformance-user"),
        "timestamp": event.get("timestamp", "2026-01-01T00:00:00.000Z"),
        "properties": properties,
    }
    if "elements_chain" in event:
        record["elements_chain"] = event["elements_chain"]
    person = dict(case.get("person") or {})
    person.update(properties.get("$set") or {})
    person.update(event.get("$set") or {})
    record["person_properties"] = person
    return compact(record)


def matcher_differential_corpus():
    """`A <action>` and `E <record>` lines (matcher_differential_fuzz.cc) from the conformance
    cases, most varied first, plus one structured (0x01) seed."""
    corpus = Corpus("matcher_differential")
    cases = load_golden()
    corpus.add("structured", bytes([1]) + bytes(range(2, 200)))
    # Two cases a seed, so that the set holds actions of different shapes.
    for first, second in zip(cases[0::2], cases[1::2]):
        lines = []
        for case in (first, second):
            lines.append("A " + compact({"name": case["name"][:60], "steps": steps_of(case)}))
        for case in (first, second):
            for event in events_of(case)[:3]:
                lines.append("E " + conformance_record(case, event))
        corpus.add(f"conformance-line{first['line']}-{second['line']}", "\n".join(lines))
    return corpus


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    cases = load_golden()
    for corpus in (capture_corpus(), elements_chain_corpus(cases),
                   selector_corpus(cases), action_corpus(cases), property_filter_corpus(cases),
                   matcher_differential_corpus()):
        print(f"{os.path.relpath(corpus.dir, REPO)}: {len(corpus.seen)} seeds")


if __name__ == "__main__":
    main()
