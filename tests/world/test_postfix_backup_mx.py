"""Postfix as the sending MTA: the primary MX refuses, Postfix delivers to the backup MX.

mx1 refuses connections (a `refuse` fault: the connection is reset before
the greeting); Postfix must try the next MX (RFC 5321 5.1) and hand the
message to mx2, which queues it for mx1 (and is refused too).  Checked on both sides: the expectations on the
trace (mailsim's view) and Postfix's own log line.
"""
import sys

import postfix_harness as h

SCENARIO = {
    "scenario": "postfix-backup-mx",
    "title": "Postfix meets a primary MX that refuses and delivers to the backup MX",
    "dns": ["example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org"],
    "hosts": {
        "alice-pc.sender.test": {"ip": "192.0.2.50"},
        "postfix.sender.test": {"ip": "192.0.2.25", "external": True},
        "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
        "mx2.example.org": {"ip": "198.51.100.20", "relay_domains": ["example.org"]},
    },
    "timeline": [
        {"at": "0s", "fault": {"host": "mx1.example.org", "kind": "refuse"}},
        {"at": "0s", "send": {"id": "hello", "from": "alice@sender.test", "to": ["bob@example.org"],
                              "subject": "Through the backup", "via": "postfix.sender.test", "port": 25,
                              "client": "alice-pc.sender.test"}},
    ],
    "expect": [
        {"trace": {"event": "net.connect.refused", "host": "postfix.sender.test", "peer": "mx1.example.org"}},
        {"sequence": [
            {"event": "smtp.reply", "host": "postfix.sender.test", "peer": "alice-pc.sender.test", "code": 250,
             "enhanced": "2.0.0"},
            {"event": "net.connect.refused", "host": "postfix.sender.test", "peer": "mx1.example.org"},
            {"event": "smtp.reply", "host": "mx2.example.org", "peer": "postfix.sender.test", "code": 250,
             "phase": "dot"},
        ]},
        {"trace": {"event": "queue.enqueue", "host": "mx2.example.org"}},
        {"trace": {"event": "dns.query", "host": "postfix.sender.test", "name": "example.org", "type": "MX"}},
        {"deferred": {"recipient": "bob@example.org", "min": 1}},
        {"trace": {"event": "net.connect.refused", "host": "mx2.example.org", "peer": "mx1.example.org"}},
    ],
}


def main():
    mailsim = sys.argv[1]
    h.require_root_and_postfix()
    pf = h.postfix_dir("postfix.sender.test", "192.0.2.25", {"mynetworks": "127.0.0.0/8 192.0.2.50/32"})
    status, out, err, events = h.run_world(mailsim, SCENARIO, pf, removed=1)
    h.check(status == 0, "mailsim world did not pass", status, out, err)
    sent = [l for l in h.postfix_status_lines(pf) if "status=sent" in l]
    h.check(len(sent) == 1 and "relay=mx2.example.org[198.51.100.20]:25" in sent[0],
            "Postfix's log does not show the delivery to mx2: %r" % h.postfix_status_lines(pf), status, out, err)
    h.check("6 passed, 0 failed" in out, "summary line missing", status, out, err)
    h.cleanup(pf)
    print("ok: Postfix skipped the refusing primary MX and delivered to the backup MX")


if __name__ == "__main__":
    main()
