"""`mailsim serve --http`: every REST endpoint with curl against the live world.

smtplib sends to mx1 and the message appears in the API; a fault POSTed
makes the next smtplib send fail with the fault's code, DELETE heals it;
POST /send, /expect (the `run` lines), DELETE /messages.  Exit status 77
(skipped) when curl is not installed.
"""
import json
import os
import re
import shutil
import smtplib
import subprocess
import tempfile
import time

import live_harness as h

BOB = "bob@example.org"
HOSTILE_SUBJECT = "<script>alert(1)</script> hello"


class answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def json(self):
        return json.loads(self.body)


def curl(base, method, path, *extra, body=None, timeout=10):
    """One request with curl: its status, header fields and body (bytes)."""
    work = tempfile.mkdtemp(prefix="mailsim-curl-")
    try:
        head, out = os.path.join(work, "head"), os.path.join(work, "body")
        cmd = ["curl", "-sS", "--max-time", str(timeout), "-o", out, "-D", head, "-w", "%{http_code}"]
        if method != "GET":
            cmd += ["-X", method]
        if body is not None:
            source = os.path.join(work, "request")
            with open(source, "w") as f:
                f.write(body if isinstance(body, str) else json.dumps(body))
            cmd += ["--data-binary", "@" + source, "-H", "Content-Type: application/json"]
        cmd += list(extra) + [base + path]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 5)
        status = int(done.stdout.strip() or "0")
        headers = {}
        if os.path.exists(head):
            with open(head, "rb") as f:
                for line in f.read().decode("latin-1").splitlines():
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
        data = b""
        if os.path.exists(out):
            with open(out, "rb") as f:
                data = f.read()
        return answer(status, headers, data)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def expect_status(a, status, what):
    h.check(a.status == status, "%s: HTTP %d, want %d: %r" % (what, a.status, status, a.body[:400]))
    return a


def smtp_send(port, subject):
    """One message from outside to bob on mx1's port 25; returns smtplib's refusals (raises on failure)."""
    message = ("From: Carol <carol@outside.test>\r\nTo: Bob <%s>\r\nSubject: %s\r\n\r\nHello Bob.\r\n"
               % (BOB, subject))
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("workstation.test")
        return client.sendmail("carol@outside.test", [BOB], message)


def wait_messages(base, want, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        got = expect_status(curl(base, "GET", "/api/v1/mailboxes/%s/messages" % BOB), 200, "bob's messages").json()
        if len(got) >= want or time.monotonic() >= deadline:
            return got
        time.sleep(0.1)


def read_endpoints(base, server):
    page = expect_status(curl(base, "GET", "/"), 200, "the page")
    h.check(page.header("content-type").startswith("text/html"), "the page is %r" % page.header("content-type"))
    spec = expect_status(curl(base, "GET", "/api/v1/openapi.json"), 200, "openapi").json()
    h.check(spec.get("openapi", "").startswith("3."), "not an OpenAPI 3 document")
    hosts = {x["name"]: x for x in expect_status(curl(base, "GET", "/api/v1/hosts"), 200, "hosts").json()}
    mx1 = hosts.get("mx1.example.org")
    h.check(mx1 is not None and mx1["up"] and "lda" in mx1["roles"], "mx1 in /hosts: %r" % mx1)
    smtp = [s for s in mx1["services"] if s["name"] == "smtp"]
    h.check(smtp and smtp[0]["listen"] == "127.0.0.1:%d" % server.port("mx1.example.org", "smtp"),
            "mx1's smtp service: %r" % mx1["services"])
    boxes = expect_status(curl(base, "GET", "/api/v1/mailboxes"), 200, "mailboxes").json()
    h.check(any(b["address"] == BOB and b["host"] == "mx1.example.org" for b in boxes), "mailboxes: %r" % boxes)
    expect_status(curl(base, "GET", "/api/v1/mailboxes/nobody@example.org/messages"), 404, "unknown mailbox")
    expect_status(curl(base, "GET", "/api/v1/queue/mx1.example.org"), 200, "mx1's queue")
    expect_status(curl(base, "GET", "/api/v1/queue/no.such.host"), 404, "unknown queue")


def message_endpoints(base, server):
    refused = smtp_send(server.port("mx1.example.org", "smtp"), HOSTILE_SUBJECT)
    h.check(refused == {}, "smtplib refused: %r" % refused)
    got = wait_messages(base, 1)
    h.check(len(got) == 1, "bob's messages after one send: %r" % got)
    m = got[0]
    h.check(m["subject"] == HOSTILE_SUBJECT and m["folder"] == "INBOX" and m["size"] > 0 and BOB in json.dumps(m["to"]),
            "the message in the list: %r" % m)
    h.check(re.fullmatch(r"[0-9a-f]{16}", m["id"]) is not None, "message id %r" % m["id"])
    one = expect_status(curl(base, "GET", "/api/v1/messages/" + m["id"]), 200, "one message").json()
    h.check(one["id"] == m["id"] and any(x["name"] == "Subject" for x in one["headers"]), "one message: %r" % one)
    raw = expect_status(curl(base, "GET", "/api/v1/messages/%s?raw" % m["id"]), 200, "raw message")
    h.check(b"Return-Path: <carol@outside.test>" in raw.body and b"Hello Bob." in raw.body, "raw: %r" % raw.body[:300])
    expect_status(curl(base, "GET", "/api/v1/messages/0000000000000000"), 404, "unknown message")


def trace_endpoints(base):
    lines = expect_status(curl(base, "GET", "/api/v1/trace?since=0&limit=5"), 200, "trace")
    events = [json.loads(x) for x in lines.body.decode().splitlines()]
    h.check(len(events) == 5 and events[0]["seq"] == 0 and events[0]["event"] == "sim.start", "trace: %r" % events)
    h.check(lines.header("mailsim-next-seq") == "5", "Mailsim-Next-Seq: %r" % lines.header("mailsim-next-seq"))
    later = expect_status(curl(base, "GET", "/api/v1/trace?since=3&limit=1"), 200, "trace since")
    h.check(json.loads(later.body)["seq"] == 3, "trace since=3: %r" % later.body)
    sse = expect_status(curl(base, "GET", "/api/v1/trace?follow&since=0&limit=3", "-N"), 200, "trace follow")
    ids = re.findall(r"^id: (\d+)$", sse.body.decode(), re.MULTILINE)
    h.check(sse.header("content-type").startswith("text/event-stream") and ids == ["0", "1", "2"],
            "SSE: %r %r" % (sse.header("content-type"), sse.body[:400]))


def fault_endpoints(base, server):
    fault = {"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 451, "text": "try later"}
    applied = expect_status(curl(base, "POST", "/api/v1/faults", body=fault), 200, "POST fault").json()
    h.check(applied == {"applied": fault}, "POST fault: %r" % applied)
    hosts = {x["name"]: x for x in curl(base, "GET", "/api/v1/hosts").json()}
    h.check(hosts["mx1.example.org"]["faults"] == [fault], "faults in force: %r" % hosts["mx1.example.org"])
    try:
        smtp_send(server.port("mx1.example.org", "smtp"), "during the fault")
        h.fail("a send during the 451 fault was accepted")
    except smtplib.SMTPRecipientsRefused as e:
        code = e.recipients[BOB][0]
        h.check(code == 451, "a send during the fault got %r" % e.recipients)
    bad = expect_status(curl(base, "POST", "/api/v1/faults", body=dict(fault, code="soon")), 400, "bad fault").json()
    h.check(bad["detail"].startswith("request body: /code: "), "bad fault's detail: %r" % bad)
    expect_status(curl(base, "POST", "/api/v1/faults", body=dict(fault, host="mx9.example.org")), 404, "fault on no host")
    healed = expect_status(curl(base, "DELETE", "/api/v1/faults/mx1.example.org"), 200, "heal").json()
    h.check(healed == {"healed": {"host": "mx1.example.org"}}, "heal: %r" % healed)
    expect_status(curl(base, "DELETE", "/api/v1/faults/mx9.example.org"), 404, "heal no host")
    refused = smtp_send(server.port("mx1.example.org", "smtp"), "after the heal")
    h.check(refused == {}, "after the heal smtplib got %r" % refused)
    h.check(len(wait_messages(base, 2)) == 2, "bob's messages after the heal")


def change_endpoints(base):
    send = {"from": "alice@sender.test", "to": [BOB], "subject": "from the API"}
    sent = expect_status(curl(base, "POST", "/api/v1/send", body=send), 202, "send").json()
    h.check(sent["id"] == "api-1" and sent["message_id"].startswith("<"), "send: %r" % sent)
    got = wait_messages(base, 3)
    h.check(any(m["subject"] == "from the API" for m in got), "the API's message did not arrive: %r" % got)
    bad = expect_status(curl(base, "POST", "/api/v1/send", body={"from": "alice@sender.test", "to": []}), 400, "bad send")
    h.check("/to: " in bad.json()["detail"], "bad send: %r" % bad.body)
    checks = [{"delivered": {"to": BOB}}, {"rejected": {"host": "mx1.example.org", "phase": "rcpt", "code": 451}},
              {"delivered": {"to": "alice@sender.test"}}]
    text = expect_status(curl(base, "POST", "/api/v1/expect", "-H", "Accept: text/plain", body=checks), 200, "expect")
    lines = text.body.decode().splitlines()
    h.check(lines[0].startswith("PASS delivered bob@example.org") and lines[1].startswith("PASS rejected")
            and lines[2].startswith("FAIL delivered alice@sender.test") and lines[3] == "2 passed, 1 failed",
            "expect: %r" % lines)
    as_json = expect_status(curl(base, "POST", "/api/v1/expect", body=checks[0]), 200, "expect JSON").json()
    h.check(as_json["passed"] == 1 and as_json["failed"] == 0, "expect JSON: %r" % as_json)
    expect_status(curl(base, "POST", "/api/v1/expect", body=[{"delivered": {"to": "x@nowhere.test"}}]), 400, "bad expect")
    deleted = expect_status(curl(base, "DELETE", "/api/v1/messages"), 200, "delete").json()
    h.check(deleted == {"deleted": 3}, "delete: %r" % deleted)
    h.check(wait_messages(base, 0) == [], "bob's mailbox after the delete")


def usage_errors(mailsim, taken):
    """--http not on loopback, malformed, or on a port already taken: exit 2 with one line, nothing runs."""
    world = os.path.join(h.HERE, "live-world.json")
    for value, says in (("0.0.0.0:8025", "--http: "), ("127.0.0.1", "--http: "), ("127.0.0.1:99999", "--http: "),
                        (taken, "cannot listen")):
        argv = [mailsim, "serve", world, "--http", value, "--port-base", str(free_base())]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        h.check(done.returncode == 2 and says in done.stderr and "ready" not in done.stdout,
                "--http %s: exit %d, %r" % (value, done.returncode, done.stderr))


def free_base():
    for base in range(31000, 32600, 100):
        if h.ports_free(base):
            return base
    h.fail("no free port base for the usage checks")


def body(mailsim):
    if shutil.which("curl") is None:
        h.skip("curl is not installed")
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json"), ["--http", "127.0.0.1:0"]).start()
    try:
        listen = [l for l in server.output().splitlines() if l.startswith("listen ")]
        h.check(re.fullmatch(r"listen - http 127\.0\.0\.1:\d+", listen[-1]) is not None, "listen lines: %r" % listen)
        base = "http://127.0.0.1:%d" % server.port("-", "http")
        read_endpoints(base, server)
        message_endpoints(base, server)
        trace_endpoints(base)
        fault_endpoints(base, server)
        change_endpoints(base)
        usage_errors(mailsim, "127.0.0.1:%d" % server.port("-", "http"))
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
