"""Postfix as the sending MTA against a greylisting MX: it retries and gets through.

mx.example.org greylists for 3 seconds (RFC 6647: 451 4.7.1 to the first
attempt of a triplet); Postfix defers, retries after its minimal backoff
(5s, queue runs every 2s) and is accepted.
"""
import sys

import postfix_harness as h

SCENARIO = {
    "scenario": "postfix-greylist",
    "title": "Postfix retries through greylisting",
    "dns": ["example.org MX 10 mx.example.org"],
    "hosts": {
        "alice-pc.sender.test": {"ip": "192.0.2.50"},
        "postfix.sender.test": {"ip": "192.0.2.25", "external": True},
        "mx.example.org": {"ip": "198.51.100.60", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                           "policy": {"greylist": "3s"}},
    },
    "timeline": [
        {"at": "0s", "send": {"id": "grey", "from": "alice@sender.test", "to": ["bob@example.org"],
                              "subject": "Patience", "via": "postfix.sender.test", "port": 25,
                              "client": "alice-pc.sender.test"}},
    ],
    "expect": [
        {"trace": {"event": "smtp.reply", "host": "mx.example.org", "peer": "postfix.sender.test", "code": 451,
                   "count": 1}},
        {"delivered": {"to": "bob@example.org", "message": "grey", "host": "mx.example.org"}},
        {"sequence": [
            {"event": "smtp.reply", "host": "mx.example.org", "peer": "postfix.sender.test", "code": 451},
            {"event": "smtp.reply", "host": "mx.example.org", "peer": "postfix.sender.test", "code": 250,
             "phase": "dot"},
            {"event": "lda.deliver", "host": "mx.example.org", "mailbox": "bob@example.org"},
        ]},
    ],
}


def main():
    mailsim = sys.argv[1]
    h.require_root_and_postfix()
    pf = h.postfix_dir("postfix.sender.test", "192.0.2.25", {"mynetworks": "127.0.0.0/8 192.0.2.50/32"})
    status, out, err, events = h.run_world(mailsim, SCENARIO, pf, removed=1)
    h.check(status == 0, "mailsim world did not pass", status, out, err)
    lines = h.postfix_status_lines(pf)
    h.check(len(lines) == 2 and "status=deferred" in lines[0] and "451 4.7.1" in lines[0] and
            "status=sent" in lines[1], "Postfix's log does not show a deferral then a delivery: %r" % lines,
            status, out, err)
    h.cleanup(pf)
    print("ok: Postfix was greylisted, retried and got through")


if __name__ == "__main__":
    main()
