"""The same recipient twice (also behind a source route, also through 587) is delivered once, and the queues empty."""
import base64
import os
import socket
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "hardening-world.json")


def transaction(port, rcpts, subject, auth=None):
    """One raw SMTP transaction; returns the reply to the final dot."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rb")
        h.check(h.read_reply(f)[0].startswith("220"), "no greeting")

        def say(line):
            s.sendall(line.encode() + b"\r\n")
            return h.read_reply(f)[-1]

        say("EHLO dup.outside.test")
        if auth:
            h.check(say("AUTH PLAIN " + base64.b64encode(auth.encode()).decode()).startswith("235"), "AUTH failed")
        h.check(say("MAIL FROM:<a@b.test>").startswith("250"), "MAIL refused")
        for r in rcpts:
            got = say("RCPT TO:" + r)
            h.check(got.startswith("250"), "RCPT TO:%s got %r" % (r, got))
        h.check(say("DATA").startswith("354"), "DATA refused")
        end = say("Subject: %s\r\n\r\nonce please\r\n." % subject)
        say("QUIT")
        return end


def body(mailsim):
    server = h.live_server(mailsim, SCENARIO)
    spool = os.path.join(server.scratch, "spool")
    server.extra = ["--spool", spool]
    server.start()
    try:
        mx = server.port("mx1.example.org", "smtp")
        sub = server.port("mail.sender.test", "submission")
        h.check(transaction(mx, ["<bob@example.org>", "<bob@example.org>"], "twice").startswith("250"), "not queued")
        h.check(transaction(mx, ["<@x.test:bob@example.org>", "<bob@EXAMPLE.org>"], "routed").startswith("250"),
                "not queued")
        h.check(transaction(sub, ["<bob@example.org>", "<bob@example.org>"], "submitted",
                            auth="\0alice@sender.test\0alice-pw").startswith("250"), "not queued")
        got = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 3, 10)
        h.check(len(got) == 3, "bob has %d messages, want 3:\n%s" % (len(got), server.output()[-3000:]))
        # The bug redelivered ~10 times a second: give it a second to show.
        time.sleep(1.0)
        got = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 99, 0)
        subjects = sorted(line for m in got for line in m.split(b"\r\n") if line.startswith(b"Subject: "))
        h.check(subjects == [b"Subject: routed", b"Subject: submitted", b"Subject: twice"],
                "bob's mailbox holds %r, want each message once" % subjects)
        for host in ("mx1.example.org", "mail.sender.test"):
            queue = os.path.join(spool, host, "spool", "queue")
            left = os.listdir(queue) if os.path.isdir(queue) else []
            h.check(left == [], "%s's queue still holds %r" % (host, left))
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
