#!/usr/bin/env python3
"""Every REST endpoint driven by curl against the HTTP fixture.

    curl_test.py FIXTURE

Status codes, media types, JSON shapes, the errors (400, 403, 404, 405,
406, 413, 414, 415, 421, 431), HEAD and OPTIONS, keep-alive, and the trace
as JSON Lines and as Server-Sent Events with ?follow (bounded in time).
Every operation of the OpenAPI document must have been exercised.
Exit status 77 (skipped) when curl is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_fixture import fail, fixture, skip  # noqa: E402

failures = []
exercised = set()


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + str(detail)[:400]), flush=True)
    if not ok:
        failures.append(what)


class answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def json(self):
        return json.loads(self.body)


def curl(server, method, path, *extra, body=None, template=None, timeout=10):
    """One request with curl: its status, header fields (last response) and body."""
    if template:
        exercised.add((method.lower(), template))
    work = tempfile.mkdtemp(prefix="mailsim-curl-")
    try:
        head, out = os.path.join(work, "head"), os.path.join(work, "body")
        cmd = ["curl", "-sS", "--max-time", str(timeout), "-o", out, "-D", head, "-w", "%{http_code}"]
        if method == "HEAD":
            cmd.append("-I")
        elif method != "GET":
            cmd += ["-X", method]
        if body is not None:
            source = os.path.join(work, "request")
            with open(source, "wb") as f:
                f.write(body if isinstance(body, bytes) else body.encode())
            cmd += ["--data-binary", "@" + source]
        cmd += list(extra) + [server.base + path]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 5)
        headers = {}
        with open(head, encoding="latin-1", newline="") as f:
            blocks = [b for b in f.read().split("\r\n\r\n") if b.strip()]  # a 100 Continue comes first
            for line in (blocks[-1] if blocks else "").split("\r\n")[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
        data = open(out, "rb").read() if os.path.exists(out) else b""
        return answer(int(done.stdout or 0), headers, data.decode("utf-8", "replace"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


JSON = ["-H", "Content-Type: application/json"]


def test_reading(s):
    r = curl(s, "GET", "/", template="/")
    check("GET / is the page", r.status == 200 and r.header("content-type") == "text/html; charset=utf-8"
          and "<title>mailsim</title>" in r.body, r.status)
    check("the page's policy allows its script by hash", "script-src 'sha256-" in r.header("content-security-policy"))
    r = curl(s, "GET", "/api/v1/openapi.json", template="/api/v1/openapi.json")
    doc = r.json()
    check("GET openapi.json", r.status == 200 and doc["openapi"] == "3.1.0")
    r = curl(s, "GET", "/api/v1/hosts", template="/api/v1/hosts")
    hosts = r.json()
    check("GET hosts", r.status == 200 and r.header("content-type") == "application/json" and len(hosts) == 3)
    check("a host's shape", set(hosts[2]) == {"name", "ip", "roles", "services", "up", "faults"}, hosts[2])
    r = curl(s, "GET", "/api/v1/mailboxes", template="/api/v1/mailboxes")
    check("GET mailboxes", r.status == 200 and [b["address"] for b in r.json()] ==
          ["alice@sender.test", "bob@example.org", "carol@example.org"], r.body)
    check("a mailbox's shape", set(r.json()[1]) == {"address", "host", "messages", "bytes", "folders"})
    r = curl(s, "GET", "/api/v1/mailboxes/bob%40example.org/messages", template="/api/v1/mailboxes/{address}/messages")
    messages = r.json()
    check("GET a mailbox's messages", r.status == 200 and len(messages) == 2, r.body)
    for key in ("id", "from", "to", "subject", "date", "size", "folder"):
        check("a message entry has " + key, key in messages[0])
    check("the subject as written, markup and all", messages[0]["subject"].startswith("<script>"))
    r = curl(s, "GET", "/api/v1/messages/" + messages[0]["id"], template="/api/v1/messages/{id}")
    m = r.json()
    check("GET a message", r.status == 200 and {"envelope", "headers", "parts", "text", "html"} <= set(m), r.body[:200])
    check("its parts, decoded", [p["content_type"] for p in m["parts"]] == ["text/plain", "text/html"] and "Hello Bob" in m["text"])
    r = curl(s, "GET", "/api/v1/messages/" + messages[0]["id"] + "?raw", template="/api/v1/messages/{id}")
    check("?raw: the message as filed", r.status == 200 and r.header("content-type") == "message/rfc822"
          and r.body.startswith("Return-Path: <eve@evil.test>\r\n"), r.body[:80])
    r = curl(s, "GET", "/api/v1/queue/mail.sender.test", template="/api/v1/queue/{host}")
    check("GET a queue (empty)", r.status == 200 and r.json() == [], r.body)
    r = curl(s, "GET", "/api/v1/trace", template="/api/v1/trace")
    lines = [json.loads(line) for line in r.body.splitlines()]
    check("GET trace: JSON Lines", r.status == 200 and r.header("content-type") == "application/jsonl" and lines[0]["seq"] == 0
          and lines[0]["event"] == "sim.start", r.body[:200])
    r = curl(s, "GET", "/api/v1/trace?since=2&limit=1")
    check("?since and ?limit", [json.loads(line)["seq"] for line in r.body.splitlines()] == [2]
          and r.header("mailsim-next-seq") == "3", r.body)


def test_changing(s):
    r = curl(s, "POST", "/api/v1/faults", *JSON, body='{"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 451}',
             template="/api/v1/faults")
    check("POST a fault", r.status == 200 and r.json()["applied"]["code"] == 451, r.body)
    faults = curl(s, "GET", "/api/v1/hosts").json()[2]["faults"]
    check("the host shows it", faults == [{"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 451}], faults)
    r = curl(s, "POST", "/api/v1/faults", *JSON, body='{"host": "mx1.example.org", "kind": "explode"}')
    check("a bad fault: 400 with the reason", r.status == 400 and r.header("content-type") == "application/problem+json"
          and r.json()["detail"] == '/kind: "explode" is not a fault kind', r.body)
    r = curl(s, "DELETE", "/api/v1/faults/mx1.example.org", template="/api/v1/faults/{host}")
    check("DELETE a host's faults (heal)", r.status == 200 and r.json() == {"healed": {"host": "mx1.example.org"}}, r.body)
    check("healed", curl(s, "GET", "/api/v1/hosts").json()[2]["faults"] == [])
    check("heal an unknown host: 404", curl(s, "DELETE", "/api/v1/faults/nowhere.test").status == 404)
    check("heal DNS", curl(s, "DELETE", "/api/v1/faults/example.org?dns").json() == {"healed": {"dns": "example.org"}})
    r = curl(s, "POST", "/api/v1/send", *JSON, template="/api/v1/send",
             body='{"from": "alice@sender.test", "to": ["carol@example.org", "dave@elsewhere.test"], "subject": "via curl"}')
    check("POST send: 202", r.status == 202 and r.json()["message_id"].startswith("<"), r.body)
    carol = curl(s, "GET", "/api/v1/mailboxes/carol@example.org/messages").json()
    check("the message arrived", carol[-1]["subject"] == "via curl", carol)
    queue = curl(s, "GET", "/api/v1/queue/mail.sender.test").json()
    check("the other recipient waits in the queue", len(queue) == 1 and queue[0]["recipients"][0]["state"] == "deferred"
          and set(queue[0]) >= {"queue_id", "sender", "recipients", "attempts", "next_attempt"}, queue)
    expectations = '[{"delivered": {"to": "carol@example.org"}}, {"queue_empty": true}]'
    r = curl(s, "POST", "/api/v1/expect", *JSON, body=expectations, template="/api/v1/expect")
    check("POST expect: JSON", r.status == 200 and r.json()["summary"] == "1 passed, 1 failed", r.body)
    r = curl(s, "POST", "/api/v1/expect", *JSON, "-H", "Accept: text/plain", body=expectations)
    check("POST expect: the lines of run", r.body.splitlines()[0].startswith("PASS delivered carol@example.org")
          and r.body.splitlines()[-1] == "1 passed, 1 failed", r.body)
    held = sum(b["messages"] for b in curl(s, "GET", "/api/v1/mailboxes").json())
    r = curl(s, "DELETE", "/api/v1/messages", template="/api/v1/messages")
    check("DELETE messages", r.status == 200 and held > 0 and r.json() == {"deleted": held}, r.body)
    check("every mailbox empty", all(b["messages"] == 0 for b in curl(s, "GET", "/api/v1/mailboxes").json()))


def test_errors(s):
    check("404", curl(s, "GET", "/api/v1/nothing").status == 404)
    r = curl(s, "POST", "/api/v1/hosts", *JSON, body="{}")
    check("405 with Allow", r.status == 405 and r.header("allow") == "GET, HEAD, OPTIONS", r.headers)
    check("406", curl(s, "GET", "/api/v1/hosts", "-H", "Accept: image/png").status == 406)
    check("415: a form post", curl(s, "POST", "/api/v1/send", body="from=x").status == 415)
    check("400: not JSON", curl(s, "POST", "/api/v1/send", *JSON, body="{").status == 400)
    check("400: unknown query parameter", curl(s, "GET", "/api/v1/trace?sinec=1").status == 400)
    check("400: bad escape", curl(s, "GET", "/api/v1/mailboxes/%zz/messages").status == 400)
    check("404: unknown message", curl(s, "GET", "/api/v1/messages/nope").status == 404)
    check("421: another Host (DNS rebinding)", curl(s, "GET", "/api/v1/hosts", "-H", "Host: evil.example").status == 421)
    check("403: another Origin", curl(s, "DELETE", "/api/v1/messages", "-H", "Origin: https://evil.example").status == 403)
    big = b'{"body": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = curl(s, "POST", "/api/v1/send", *JSON, body=big)
    check("413: a body over the limit", r.status == 413 and r.header("connection") == "close", r.status)
    many = []
    for i in range(150):
        many += ["-H", "X-Field-%d: v" % i]
    check("431: too many fields", curl(s, "GET", "/api/v1/hosts", *many).status == 431)
    check("414: a long target", curl(s, "GET", "/api/v1/messages/" + "a" * 9000).status == 414)
    r = curl(s, "HEAD", "/api/v1/hosts")
    check("HEAD: the length of what GET sends", r.status == 200 and
          r.header("content-length") == str(len(curl(s, "GET", "/api/v1/hosts").body.encode())), r.headers)
    r = curl(s, "OPTIONS", "/api/v1/faults/mx1.example.org")
    check("OPTIONS: 204 with Allow", r.status == 204 and r.header("allow") == "DELETE, OPTIONS", r.headers)
    verbose = subprocess.run(["curl", "-sv", "-o", "/dev/null", "-o", "/dev/null", s.base + "/api/v1/hosts",
                              s.base + "/api/v1/mailboxes"], capture_output=True, text=True, timeout=15).stderr
    check("keep-alive: curl reuses the connection", "Re-using existing connection" in verbose, verbose[-300:])


def test_follow(s):
    start = time.monotonic()
    done = subprocess.run(["curl", "-sS", "-N", "--max-time", "10", s.base + "/api/v1/trace?follow&since=1&limit=3"],
                          capture_output=True, text=True, timeout=15)
    ids = [line for line in done.stdout.splitlines() if line.startswith("id: ")]
    check("?follow&limit=3: three events, then the stream ends", done.returncode == 0 and ids == ["id: 1", "id: 2", "id: 3"]
          and time.monotonic() - start < 5, done.stdout[:300])
    stream = subprocess.Popen(["curl", "-sS", "-N", "--max-time", "10", "-D", "/dev/stderr", s.base + "/api/v1/trace?follow"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        curl(s, "POST", "/api/v1/send", *JSON, body='{"from": "alice@sender.test", "to": ["bob@example.org"], "subject": "live"}')
        seen = ""
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and '"subject":"live"' not in seen:
            line = stream.stdout.readline()
            if not line:
                break
            seen += line
        check("?follow: a new event arrives as it happens", '"event":"mua.compose"' in seen and '"subject":"live"' in seen, seen[-300:])
    finally:
        stream.kill()
        _, head = stream.communicate(timeout=10)
    check("the stream is text/event-stream", "content-type: text/event-stream" in head.lower(), head)


def main():
    if not shutil.which("curl"):
        skip("curl is not installed (Debian package curl)")
    if len(sys.argv) != 2:
        fail("usage: curl_test.py FIXTURE")
    s = fixture(sys.argv[1])
    try:
        test_reading(s)
        test_follow(s)
        test_changing(s)
        test_errors(s)
        doc = json.loads(curl(s, "GET", "/api/v1/openapi.json").body)
        documented = {(method, path) for path, item in doc["paths"].items() for method in item}
        check("every operation of the OpenAPI document was exercised", documented == exercised, documented ^ exercised)
    finally:
        status = s.stop()
    check("the fixture stops cleanly on SIGTERM", status == 0, status)
    if failures:
        fail("%d checks failed: %s" % (len(failures), ", ".join(failures)))
    print("PASS: curl drove every endpoint")


if __name__ == "__main__":
    main()
