"""SIGTERM with open SMTP and POP3 sessions: each client hears 421 / -ERR before the close, and the outputs are written."""
import json
import os
import smtplib
import socket

import live_harness as h


def open_smtp(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    h.check(h.read_reply(f)[0].startswith("220 "), "no greeting")
    s.sendall(b"EHLO idle.outside.test\r\n")
    h.check(h.read_reply(f)[-1].startswith("250 "), "EHLO refused")
    return s, f


def open_pop3(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    h.check(f.readline().startswith(b"+OK"), "no POP3 greeting")
    return s, f


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json"))
    scratch = server.scratch
    trace = os.path.join(scratch, "trace.jsonl")
    report = os.path.join(scratch, "report")
    maildir = os.path.join(scratch, "maildir")
    server.extra = ["--trace", trace, "--report", report, "--maildir", maildir]
    server.start()
    try:
        with smtplib.SMTP("127.0.0.1", server.port("mx1.example.org", "smtp"), timeout=10) as client:
            client.sendmail("carol@outside.test", ["bob@example.org"], "Subject: before the stop\r\n\r\nHello.\r\n")
        h.check(len(h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 1)) == 1,
                "the message was not delivered")
        smtp, smtp_in = open_smtp(server.port("mail.sender.test", "smtp"))
        pop3, pop3_in = open_pop3(server.port("mx1.example.org", "pop3"))
        status = server.stop()
        h.check(status == 0, "serve exited with %d:\n%s" % (status, server.output()[-2000:]))
        got = h.read_reply(smtp_in)
        h.check(len(got) == 1 and got[0].startswith("421 "), "the SMTP client got %r, want a 421" % got)
        h.check(smtp_in.readline() == b"", "the SMTP connection stayed open after the 421")
        got = pop3_in.readline()
        h.check(got.startswith(b"-ERR"), "the POP3 client got %r, want -ERR" % got)
        h.check(pop3_in.readline() == b"", "the POP3 connection stayed open after -ERR")
        smtp.close()
        pop3.close()
        with open(trace) as f:
            events = [json.loads(line) for line in f]
        h.check(events[0]["event"] == "sim.start" and events[-1]["event"] == "sim.end", "the trace lacks sim.start/sim.end")
        h.check(any(e["event"] == "lda.deliver" for e in events), "the trace lacks the delivery")
        h.check(any(e["event"] == "smtp.reply" and e["code"] == 421 and e["host"] == "mail.sender.test" for e in events),
                "the trace lacks the 421 goodbye")
        h.check(any(e["event"] == "pop3.reply" and e["line"].startswith("-ERR") for e in events),
                "the trace lacks the POP3 goodbye")
        h.check("<<< 421 4.3.2 mail.sender.test" in server.output(), "the narration lacks the 421 goodbye")
        h.check(os.path.isdir(report) and os.listdir(report), "no report files in %s" % report)
        new = os.path.join(maildir, "mx1.example.org", "bob@example.org", "new")
        cur = os.path.join(maildir, "mx1.example.org", "bob@example.org", "cur")
        found = (os.listdir(new) if os.path.isdir(new) else []) + (os.listdir(cur) if os.path.isdir(cur) else [])
        h.check(len(found) == 1, "bob's Maildir holds %r, want one message" % found)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
