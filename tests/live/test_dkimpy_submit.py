"""RFC 6376 interop in live mode: messages that dkimpy (Debian's python3-dkim) signs, sent over SMTP to a
`mailsim serve` MX whose policy verifies DKIM, arrive with dkim=pass in Authentication-Results (RFC 8601),
for RSA-SHA256 and Ed25519-SHA256 (RFC 8463) and both canonicalizations; the same message changed after
signing arrives with dkim=fail.  The public keys are published by the scenario this test writes."""
import base64
import json
import os
import re
import smtplib
import subprocess

import live_harness as h

try:
    import dkim
    import nacl.signing
except ImportError as missing:  # python3-dkim (quickstart.sh installs it) pulls python3-nacl in
    h.fail("run with Debian's /usr/bin/python3 and python3-dkim installed: %s" % missing)

MESSAGE = (b"From: Alice <alice@outside.test>\r\n"
           b"To: Bob <bob@example.org>\r\n"
           b"Subject: signed by dkimpy, %s\r\n"
           b"Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n"
           b"Message-ID: <%s@outside.test>\r\n"
           b"\r\n"
           b"Hello Bob,  \r\n"
           b"\tthis body is signed.\r\n")


def txt_record(name, value):
    """A TXT record in presentation form, split into strings of at most 255 octets (RFC 1035 3.3.14)."""
    parts = [value[i:i + 255] for i in range(0, len(value), 255)]
    return "%s TXT %s" % (name, " ".join('"%s"' % p for p in parts))


def rsa_key(scratch):
    pem = os.path.join(scratch, "rsa.pem")
    subprocess.run(["openssl", "genrsa", "-out", pem, "2048"], check=True, capture_output=True)
    der = subprocess.run(["openssl", "rsa", "-in", pem, "-pubout", "-outform", "DER"], check=True,
                         capture_output=True).stdout
    return open(pem, "rb").read(), "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def ed25519_key():
    seed = os.urandom(32)
    public = nacl.signing.SigningKey(seed).verify_key.encode()
    return base64.b64encode(seed), "v=DKIM1; k=ed25519; p=" + base64.b64encode(public).decode()


def write_world(scratch, records):
    world = {
        "scenario": "live-dkimpy",
        "title": "Mail that an outside signer signed, checked on arrival",
        "description": "An MX that verifies DKIM; the outside domain's keys are published here.",
        "dns": ["example.org MX 10 mx1.example.org"] + records,
        "hosts": {
            "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"],
                                "mailboxes": {"bob@example.org": {"password": "bob-pw"}},
                                "policy": {"dkim": "verify"}}
        }
    }
    path = os.path.join(scratch, "world.json")
    with open(path, "w") as f:
        json.dump(world, f)
    return path


def body(mailsim):
    server = h.live_server(mailsim, None)
    rsa_private, rsa_txt = rsa_key(server.scratch)
    ed_private, ed_txt = ed25519_key()
    server.scenario = write_world(server.scratch, [txt_record("rsa._domainkey.outside.test", rsa_txt),
                                                   txt_record("ed._domainkey.outside.test", ed_txt)])
    cases = []  # (subject tag, selector, algorithm, key, canonicalization, changed after signing)
    for selector, algorithm, key in ((b"rsa", b"rsa-sha256", rsa_private), (b"ed", b"ed25519-sha256", ed_private)):
        for canon in ((b"relaxed", b"relaxed"), (b"simple", b"simple")):
            cases.append((selector, algorithm, key, canon, False))
    cases.append((b"rsa", b"rsa-sha256", rsa_private, (b"relaxed", b"relaxed"), True))
    server.start()
    try:
        port = server.port("mx1.example.org", "smtp")
        for n, (selector, algorithm, key, canon, changed) in enumerate(cases):
            tag = b"case-%d" % n
            raw = MESSAGE % (tag, tag)
            signature = dkim.sign(raw, selector, b"outside.test", key, canonicalize=canon, signature_algorithm=algorithm,
                                  include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
            sent = signature + raw
            if changed:
                sent = sent.replace(b"this body is signed.", b"this body was changed.")
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail("alice@outside.test", ["bob@example.org"], sent)
        got = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", len(cases))
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()
    h.check(len(got) == len(cases), "bob has %d messages, want %d" % (len(got), len(cases)))
    for n, (selector, algorithm, _, canon, changed) in enumerate(cases):
        tag = b"case-%d" % n
        message = next((m for m in got if b"signed by dkimpy, " + tag + b"\r\n" in m), None)
        h.check(message is not None, "case %d was not delivered" % n)
        results = re.search(rb"^Authentication-Results:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", message, re.MULTILINE | re.IGNORECASE)
        h.check(results is not None, "case %d has no Authentication-Results:\n%r" % (n, message[:600]))
        text = results.group(1).decode("ascii", "replace")
        want = "dkim=fail" if changed else "dkim=pass"
        what = "%s %s/%s%s" % (algorithm.decode(), canon[0].decode(), canon[1].decode(), ", changed" if changed else "")
        h.check(want in text and "header.d=outside.test" in text and "header.s=" + selector.decode() in text,
                "%s: want %s header.d=outside.test header.s=%s in %r" % (what, want, selector.decode(), text))
        print("ok", what, "->", want)


if __name__ == "__main__":
    h.main(body)
