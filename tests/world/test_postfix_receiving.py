"""Postfix as the receiving MX: a simulated sender's MTA delivers to it over real TCP.

alice submits to mail.sender.test (simulated), which looks up the MX of
postfix.test (the external Postfix) and delivers bob's copy; Postfix files
it in a virtual mailbox (a Maildir under the test's folder).  nobody@ is
unknown to Postfix: its 550 5.1.1 at RCPT makes our MTA bounce to alice.
Postfix's replies are in the trace as smtp.reply on the external host.
"""
import glob
import os
import sys

import postfix_harness as h

SCENARIO = {
    "scenario": "postfix-receiving",
    "title": "A simulated MTA delivers to a real Postfix MX",
    "dns": ["postfix.test MX 10 mx.postfix.test", "sender.test MX 10 mail.sender.test"],
    "hosts": {
        "mail.sender.test": {"ip": "192.0.2.30", "local_domains": ["sender.test"], "submission": True,
                             "mailboxes": {"alice@sender.test": {"password": "pw"}}},
        "mx.postfix.test": {"ip": "198.51.100.25", "external": True},
    },
    "timeline": [
        {"at": "0s", "send": {"id": "to-postfix", "from": "alice@sender.test",
                              "to": ["bob@postfix.test", "nobody@postfix.test"], "subject": "Hello, real MTA"}},
    ],
    "expect": [
        {"trace": {"event": "smtp.reply", "host": "mx.postfix.test", "peer": "mail.sender.test", "code": 220}},
        {"trace": {"event": "smtp.reply", "host": "mx.postfix.test", "peer": "mail.sender.test", "code": 550,
                   "enhanced": "5.1.1"}},
        {"trace": {"event": "smtp.reply", "host": "mx.postfix.test", "peer": "mail.sender.test", "code": 250,
                   "enhanced": "2.0.0", "count": 1}},
        {"trace": {"event": "queue.delivered", "host": "mail.sender.test", "rcpt": "bob@postfix.test"}},
        {"bounced": {"recipient": "nobody@postfix.test", "to": "alice@sender.test", "status": "5.1.1"}},
        {"queue_empty": "mail.sender.test"},
    ],
}


def main():
    mailsim = sys.argv[1]
    h.require_root_and_postfix()
    pf = h.postfix_dir("mx.postfix.test", "198.51.100.25", {
        "virtual_mailbox_domains": "postfix.test",
        "virtual_mailbox_base": "PF/vmail",
        "virtual_mailbox_maps": "inline:{ bob@postfix.test=bob/ }",
        "virtual_uid_maps": "static:65534",
        "virtual_gid_maps": "static:65534",
    })
    # The virtual delivery agent writes as the uid above.
    conf = os.path.join(pf, "conf", "main.cf")
    with open(conf) as f:
        text = f.read().replace("PF/vmail", pf + "/vmail")
    with open(conf, "w") as f:
        f.write(text)
    os.makedirs(os.path.join(pf, "vmail"))
    os.chown(os.path.join(pf, "vmail"), 65534, 65534)
    status, out, err, events = h.run_world(mailsim, SCENARIO, pf, removed=1)
    if status != 0:
        h.dump_log(pf)
    h.check(status == 0, "mailsim world did not pass", status, out, err)
    files = glob.glob(os.path.join(pf, "vmail", "bob", "new", "*"))
    h.check(len(files) == 1, "expected one message in Postfix's Maildir for bob, found %r" % files, status, out, err)
    with open(files[0]) as f:
        text = f.read()
    h.check("Subject: Hello, real MTA" in text and "by mx.postfix.test (Postfix)" in text,
            "the message Postfix filed is not the one sent:\n" + text, status, out, err)
    h.cleanup(pf)
    print("ok: Postfix received from a simulated MTA, refused the unknown user, and filed bob's copy")


if __name__ == "__main__":
    main()
