#!/usr/bin/python3
"""dkimpy (Debian's python3-dkim) verifies what mailsim signs in a scenario run.

A scenario whose sending host signs with four signers (rsa-sha256 and
ed25519-sha256, each with relaxed/relaxed and simple/simple) runs with
`mailsim run --maildir`; the receiving host verifies them itself (the
scenario expects dkim=pass four times). Then dkimpy verifies each of the
four DKIM-Signature fields of the delivered Maildir file against the key
record that `mailsim dns` serves for the scenario, and a copy with one body
byte changed must fail (so the check can fail).
Usage: maildir_interop.py MAILSIM
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import dkim

SIGNERS = [
    {"domain": "sender.test", "selector": "rr", "canonicalization": "relaxed/relaxed"},
    {"domain": "sender.test", "selector": "ss", "canonicalization": "simple/simple"},
    {"domain": "sender.test", "selector": "err", "algorithm": "ed25519-sha256", "canonicalization": "relaxed/relaxed"},
    {"domain": "sender.test", "selector": "ess", "algorithm": "ed25519-sha256", "canonicalization": "simple/simple"},
]

SCENARIO = {
    "scenario": "maildir-interop",
    "title": "Signed by mailsim, verified by dkimpy",
    "dns": ["example.org MX 10 mx.example.org", "sender.test TXT \"v=spf1 ip4:192.0.2.25 -all\""],
    "hosts": {
        "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                             "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": True,
                             "dkim": SIGNERS},
        "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                           "policy": {"dkim": "verify"}},
    },
    "timeline": [
        {"at": "1s", "send": {"id": "m", "from": "alice@sender.test", "to": ["bob@example.org"],
                              "subject": "Interop   check  with  spaces",
                              "body": "Hello Bob,  \n\n  white space\tinside   and at line ends\t \n-- \nAlice\n\n\n"}}
    ],
    "expect": [
        {"trace": {"event": "dkim.sign", "host": "mail.sender.test", "count": 4}},
        {"trace": {"event": "policy.check", "host": "mx.example.org", "check": "dkim", "result": "pass", "count": 4}},
        {"delivered": {"to": "bob@example.org", "message": "m", "auth": {"dkim": "pass"}}},
    ],
}


def served_txt(mailsim, scenario, name):
    """The TXT record `mailsim dns` serves, its strings joined (RFC 7208 section 3.3 style)."""
    out = subprocess.run([mailsim, "dns", scenario, name, "TXT"], capture_output=True, text=True, check=True).stdout
    answers = [line for line in out.splitlines() if line and not line.startswith(";") and "\tTXT\t" in line]
    if len(answers) != 1:
        return None
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', answers[0].split("\tTXT\t", 1)[1])).encode()


def main():
    mailsim = sys.argv[1]
    work = tempfile.mkdtemp(prefix="maildir-interop-")
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + what)
        if ok:
            passed += 1
        else:
            failed += 1

    try:
        scenario = os.path.join(work, "interop.json")
        with open(scenario, "w") as f:
            json.dump(SCENARIO, f)
        maildir = os.path.join(work, "maildir")
        run = subprocess.run([mailsim, "run", scenario, "--maildir", maildir], capture_output=True, text=True)
        check(run.returncode == 0, "mailsim run: the receiver verified all four signatures itself")
        if run.returncode != 0:
            print(run.stdout[-3000:], run.stderr[-3000:])
        files = glob.glob(os.path.join(maildir, "mx.example.org", "bob@example.org", "new", "*"))
        check(len(files) == 1, "one message delivered into bob's Maildir")
        if len(files) != 1:
            return 1
        raw = open(files[0], "rb").read()
        # Maildir files use the local line end; DKIM works on CRLF (RFC 6376 section 5.3).
        message = re.sub(rb"\r?\n", b"\r\n", raw)
        keys = {}
        for s in SIGNERS:
            name = "%s._domainkey.%s" % (s["selector"], s["domain"])
            keys[(name + ".").encode()] = served_txt(mailsim, scenario, name)
            check(keys[(name + ".").encode()] is not None, "mailsim dns serves the key at " + name)
        dnsfunc = lambda name, timeout=5: keys.get(name if name.endswith(b".") else name + b".")
        d = dkim.DKIM(message, minkey=1024)
        count = message.count(b"\r\nDKIM-Signature:") + (1 if message.startswith(b"DKIM-Signature:") else 0)
        check(count == 4, "four DKIM-Signature fields")
        for i in range(count):
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
            sel = d.signature_fields.get(b"s", b"?").decode()
            algo = d.signature_fields.get(b"a", b"?").decode()
            canon = d.signature_fields.get(b"c", b"?").decode()
            check(ok, "dkimpy verifies signature %d (s=%s a=%s c=%s)" % (i, sel, algo, canon))
        broken = message.replace(b"Hello Bob,", b"Hello Rob,")
        for i in range(count):
            try:
                ok = dkim.DKIM(broken, minkey=1024).verify(idx=i, dnsfunc=dnsfunc)
            except dkim.ValidationError:  # dkimpy raises for a body hash mismatch
                ok = False
            check(not ok, "dkimpy rejects signature %d of a changed body" % i)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
