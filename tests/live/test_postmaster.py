"""RFC 5321 4.5.1: <postmaster> and postmaster@ every local domain are accepted from outside and delivered to the
host's postmaster mailbox; authenticated on 587, <postmaster> is the submission host's own (no MX lookup)."""
import base64
import json
import os
import socket

import live_harness as h

SCENARIO = os.path.join(h.HERE, "hardening-world.json")


def send(port, rcpts, auth=None):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rb")
        h.read_reply(f)

        def say(line):
            s.sendall(line.encode() + b"\r\n")
            return h.read_reply(f)[-1]

        say("EHLO pm.outside.test")
        if auth:
            h.check(say("AUTH PLAIN " + base64.b64encode(auth.encode()).decode()).startswith("235"), "AUTH failed")
        say("MAIL FROM:<listed@outside.test>")
        for r in rcpts:
            got = say("RCPT TO:" + r)
            h.check(got.startswith("250 2.1.5"), "RCPT TO:%s got %r, want 250" % (r, got))
        say("DATA")
        got = say("Subject: to the postmaster\r\n\r\nPlease delist me.\r\n.")
        h.check(got.startswith("250 2.0.0"), "message refused: %r" % got)
        say("QUIT")


def body(mailsim):
    server = h.live_server(mailsim, SCENARIO)
    trace = os.path.join(server.scratch, "trace.jsonl")
    server.extra = ["--trace", trace]
    server.start()
    try:
        send(server.port("mx1.example.org", "smtp"), ["<postmaster>", "<PostMaster@example.net>", "<postmaster@example.org>"])
        send(server.port("mail.sender.test", "submission"), ["<postmaster>"], auth="\0alice@sender.test\0alice-pw")
        h.check(server.wait_for_output(r"filed into mailbox postmaster@sender.test", 10),
                "nothing filed for mail.sender.test's postmaster:\n" + server.output()[-3000:])
        h.check(server.wait_for_output(r"filed into mailbox postmaster@example.org", 10),
                "nothing filed for mx1's postmaster:\n" + server.output()[-3000:])
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()
    events = [json.loads(line) for line in open(trace)]
    filed = [e["mailbox"] for e in events if e["event"] == "lda.deliver"]
    h.check(sorted(filed) == ["postmaster@example.org", "postmaster@sender.test"],
            "filed into %r, want one copy for each host's postmaster" % filed)
    mx_queries = [e for e in events if e["event"] == "dns.query" and e.get("type") == "MX"]
    h.check(mx_queries == [], "an MX query was made: %r" % mx_queries)
    h.check(not any(e["event"] in ("bounce.create", "queue.bounce") for e in events), "something bounced")


if __name__ == "__main__":
    h.main(body)
