"""Postfix as the sending MTA: a null MX and a DNSBL listing of Postfix's own address.

One message to two recipients: nobody@nomail.test, whose domain publishes a
null MX (RFC 7505: Postfix must not try to deliver), and
bob@example.org, whose MX refuses Postfix's address because bl.example.net
lists 192.0.2.25 (RFC 5782).  Both fail at once, and Postfix's DSN reaches
alice's simulated mailbox with each status.

Postfix 3.7 reports the null MX as 5.1.0 ("Domain nomail.test does not
accept mail (nullMX)"), where RFC 7505 section 4.3 suggests 5.1.10; mailsim's
own MTA says 5.1.10.  The test holds Postfix to what it does.
"""
import sys

import postfix_harness as h

SCENARIO = {
    "scenario": "postfix-nullmx-dnsbl",
    "title": "Postfix meets a null MX and a DNSBL listing of its own address",
    "dns": [
        "example.org MX 10 mx.example.org",
        "sender.test MX 10 mail.sender.test",
        "nomail.test MX 0 .",
        "25.2.0.192.bl.example.net A 127.0.0.2",
        "25.2.0.192.bl.example.net TXT \"listed: a test of mailsim world\"",
    ],
    "hosts": {
        "alice-pc.sender.test": {"ip": "192.0.2.50"},
        "postfix.sender.test": {"ip": "192.0.2.25", "external": True},
        "mail.sender.test": {"ip": "192.0.2.30", "local_domains": ["sender.test"], "mailboxes": ["alice@sender.test"]},
        "mx.example.org": {"ip": "198.51.100.60", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                           "policy": {"dnsbl": ["bl.example.net"]}},
    },
    "timeline": [
        {"at": "0s", "send": {"id": "doomed", "from": "alice@sender.test",
                              "to": ["nobody@nomail.test", "bob@example.org"], "subject": "Two ways to fail",
                              "via": "postfix.sender.test", "port": 25, "client": "alice-pc.sender.test"}},
    ],
    "expect": [
        {"bounced": {"recipient": "nobody@nomail.test", "to": "alice@sender.test", "status": "5.1.0"}},
        {"bounced": {"recipient": "bob@example.org", "to": "alice@sender.test", "status": "5.7.1"}},
        {"not_delivered": {"to": "bob@example.org"}},
        {"trace": {"event": "dns.query", "host": "postfix.sender.test", "name": "nomail.test", "type": "MX"}},
        {"trace": {"event": "smtp.reply", "host": "mx.example.org", "peer": "postfix.sender.test", "code": 554}},
    ],
}


def main():
    mailsim = sys.argv[1]
    h.require_root_and_postfix()
    pf = h.postfix_dir("postfix.sender.test", "192.0.2.25", {"mynetworks": "127.0.0.0/8 192.0.2.50/32"})
    status, out, err, events = h.run_world(mailsim, SCENARIO, pf, removed=2)
    if status != 0:
        h.dump_log(pf)
    h.check(status == 0, "mailsim world did not pass", status, out, err)
    lines = h.postfix_status_lines(pf)
    null = [l for l in lines if "nobody@nomail.test" in l]
    # relay=none: Postfix connected nowhere for the null MX.
    h.check(len(null) == 1 and "status=bounced" in null[0] and "dsn=5.1.0" in null[0] and "relay=none" in null[0],
            "Postfix's log shows no null-MX bounce without a connection: %r" % lines, status, out, err)
    h.cleanup(pf)
    print("ok: null MX and DNSBL refusals, each in Postfix's DSN")


if __name__ == "__main__":
    main()
