#!/usr/bin/python3
"""dkimpy (Debian's python3-dkim) and sim/auth verify each other's signatures.

For both algorithms and every canonicalization:
  1. sim/auth signs, dkimpy verifies against the key record sim/auth exports;
  2. dkimpy signs with the same private key, sim/auth verifies;
  3. a message dkimpy signed, then changed, fails in sim/auth (the check can fail).
Usage: dkimpy_interop.py DKIM_TOOL
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import dkim

MESSAGE = (
    b"From: Alice Example <alice@sender.test>\r\n"
    b"To: Bob <bob@example.org>, carol@example.org\r\n"
    b"Subject: Interop   check,\r\n\tfolded  subject\r\n"
    b"Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n"
    b"Message-ID: <interop@sender.test>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=us-ascii\r\n"
    b"\r\n"
    b"Hello Bob,  \r\n"
    b"\r\n"
    b"  white space\tinside   and at line ends\t \r\n"
    b"-- \r\n"
    b"Alice\r\n"
    b"\r\n"
    b"\r\n"
)
HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type"]
CANONS = ["simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed"]


def main():
    tool = sys.argv[1]
    now = str(int(time.time()))
    passed = failed = 0
    work = tempfile.mkdtemp(prefix="dkimpy-interop-")

    def check(ok, what):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + what)
        if ok:
            passed += 1
        else:
            failed += 1

    def path(name):
        return os.path.join(work, name)

    with open(path("message.eml"), "wb") as f:
        f.write(MESSAGE)
    for algorithm, bits in (("rsa-sha256", "2048"), ("ed25519-sha256", "256")):
        prefix = path(algorithm)
        subprocess.run([tool, "key", algorithm, "interop " + algorithm, bits, prefix], check=True)
        record = open(prefix + ".txt", "rb").read()
        dns = {b"s1._domainkey.sender.test.": record}
        dnsfunc = lambda name, timeout=5: dns.get(name)
        if algorithm == "rsa-sha256":
            private = open(prefix + ".pem", "rb").read()
        else:
            private = open(prefix + ".seed", "rb").read()
        for canon in CANONS:
            what = f"{algorithm} {canon}"
            signed = path(f"ours-{algorithm}-{canon.replace('/', '-')}.eml")
            subprocess.run([tool, "sign", prefix + ".pem", canon, "sender.test", "s1", now,
                            path("message.eml"), signed], check=True)
            check(dkim.DKIM(open(signed, "rb").read(), minkey=1024).verify(dnsfunc=dnsfunc),
                  f"dkimpy verifies what sim/auth signed ({what})")
            header, body = canon.encode().split(b"/")
            field = dkim.sign(MESSAGE, b"s1", b"sender.test", private, canonicalize=(header, body),
                              signature_algorithm=algorithm.encode(), include_headers=HEADERS)
            theirs = path(f"theirs-{algorithm}-{canon.replace('/', '-')}.eml")
            with open(theirs, "wb") as f:
                f.write(field + MESSAGE)
            result = subprocess.run([tool, "verify", now, theirs, f"s1._domainkey.sender.test={prefix}.txt"],
                                    capture_output=True, text=True)
            check(result.returncode == 0 and result.stdout.startswith("pass"),
                  f"sim/auth verifies what dkimpy signed ({what}): {result.stdout.strip()}")
            changed = path(f"changed-{algorithm}-{canon.replace('/', '-')}.eml")
            with open(changed, "wb") as f:
                f.write(field + MESSAGE.replace(b"Hello Bob", b"Hello Eve"))
            result = subprocess.run([tool, "verify", now, changed, f"s1._domainkey.sender.test={prefix}.txt"],
                                    capture_output=True, text=True)
            check(result.returncode == 1 and result.stdout.strip() == "fail body hash did not verify",
                  f"sim/auth refuses a changed message dkimpy signed ({what}): {result.stdout.strip()}")
    shutil.rmtree(work)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
