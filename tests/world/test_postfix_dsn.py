"""Postfix as the sending MTA: an unknown user, and Postfix's DSN in the sender's simulated mailbox.

mx.example.org refuses <nobody@example.org> with 550 5.1.1; Postfix bounces
the message to alice@sender.test, whose MX is a simulated host.  The DSN
must be filed in alice's mailbox and parse as an RFC 3464 report: mailsim's
`bounced` expectation reads it, and Python's email package reads the copy
--maildir writes (multipart/report; report-type=delivery-status).
"""
import email
import email.policy
import glob
import os
import sys

import postfix_harness as h

SCENARIO = {
    "scenario": "postfix-dsn",
    "title": "Postfix bounces mail for an unknown user back to a simulated mailbox",
    "dns": ["example.org MX 10 mx.example.org", "sender.test MX 10 mail.sender.test"],
    "hosts": {
        "alice-pc.sender.test": {"ip": "192.0.2.50"},
        "postfix.sender.test": {"ip": "192.0.2.25", "external": True},
        "mail.sender.test": {"ip": "192.0.2.30", "local_domains": ["sender.test"], "mailboxes": ["alice@sender.test"]},
        "mx.example.org": {"ip": "198.51.100.60", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
    },
    "timeline": [
        {"at": "0s", "send": {"id": "lost", "from": "alice@sender.test", "to": ["nobody@example.org"],
                              "subject": "Anyone there?", "via": "postfix.sender.test", "port": 25,
                              "client": "alice-pc.sender.test"}},
    ],
    "expect": [
        {"rejected": {"host": "mx.example.org", "phase": "rcpt", "code": 550}},
        {"bounced": {"recipient": "nobody@example.org", "to": "alice@sender.test", "status": "5.1.1"}},
        {"trace": {"event": "lda.deliver", "host": "mail.sender.test", "mailbox": "alice@sender.test"}},
        # Postfix's DSN comes from the null reverse path (RFC 5321 4.5.5).
        {"trace": {"event": "queue.enqueue", "host": "mail.sender.test", "from": "", "rcpts": ["alice@sender.test"]}},
    ],
}


def check_dsn(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/report", msg.get_content_type()
    assert msg.get_param("report-type") == "delivery-status", msg.get_param("report-type")
    parts = list(msg.iter_parts())
    status = [p for p in parts if p.get_content_type() == "message/delivery-status"]
    assert len(status) == 1, [p.get_content_type() for p in parts]
    text = status[0].as_string()
    assert "Action: failed" in text and "Status: 5.1.1" in text, text
    assert "nobody@example.org" in text, text


def main():
    mailsim = sys.argv[1]
    h.require_root_and_postfix()
    pf = h.postfix_dir("postfix.sender.test", "192.0.2.25", {"mynetworks": "127.0.0.0/8 192.0.2.50/32"})
    maildir = os.path.join(pf, "mail")
    status, out, err, events = h.run_world(mailsim, SCENARIO, pf, removed=2, extra=("--maildir", maildir))
    h.check(status == 0, "mailsim world did not pass", status, out, err)
    bounced = [l for l in h.postfix_status_lines(pf) if "status=bounced" in l]
    h.check(len(bounced) == 1 and "550 5.1.1" in bounced[0], "Postfix's log shows no 5.1.1 bounce: %r" %
            h.postfix_status_lines(pf), status, out, err)
    files = glob.glob(os.path.join(maildir, "mail.sender.test", "alice@sender.test", "new", "*"))
    h.check(len(files) == 1, "expected one message in alice's Maildir, found %r" % files, status, out, err)
    try:
        check_dsn(files[0])
    except AssertionError as e:
        h.check(False, "Postfix's DSN does not parse as RFC 3464: %s" % e, status, out, err)
    h.cleanup(pf)
    print("ok: Postfix's DSN reached the simulated mailbox and parses as RFC 3464")


if __name__ == "__main__":
    main()
