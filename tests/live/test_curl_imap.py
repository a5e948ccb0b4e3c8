"""curl's imap:// against `mailsim serve`: list the folders, fetch a message by UID, search, create
a folder with a custom request, and a wrong password refused."""
import os
import shutil
import smtplib
import subprocess

import live_harness as h

USER = "carol@example.test:carol-pw"


def curl(url, *extra, user=USER):
    argv = ["curl", "--silent", "--show-error", "--max-time", "10", "--user", user] + list(extra) + [url]
    done = subprocess.run(argv, capture_output=True, timeout=20)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def deliver(port):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("workstation.test")
        refused = client.sendmail("alice@example.test", ["carol@example.test"],
                                  "From: alice@example.test\r\nTo: carol@example.test\r\n"
                                  "Subject: for curl\r\n\r\nfetched by curl\r\n")
        h.check(refused == {}, "recipients refused: %r" % refused)


def body(mailsim):
    if shutil.which("curl") is None:
        h.skip("curl is not installed (Debian package curl)")
    server = h.live_server(mailsim, os.path.join(h.HERE, "imap-world.json")).start()
    try:
        base = "imap://127.0.0.1:%d/" % server.port("mail.example.test", "imap")
        deliver(server.port("mail.example.test", "smtp"))
        h.check(server.wait_for_output(r"filed into mailbox carol@example\.test"), "the message was not filed")
        code, out, err = curl(base)
        h.check(code == 0, "curl LIST exited %d: %s" % (code, err))
        for folder in ("INBOX", "Junk", "Sent", "Trash"):
            h.check(folder in out, "curl's listing lacks %s:\n%s" % (folder, out))
        h.check("\\Junk" in out, "the listing shows no \\Junk attribute:\n%s" % out)
        code, out, err = curl(base + "INBOX;UID=1")
        h.check(code == 0, "curl fetch exited %d: %s" % (code, err))
        h.check("Subject: for curl" in out and "fetched by curl" in out, "curl fetched:\n%s" % out)
        h.check("Return-Path: <alice@example.test>" in out, "no Return-Path in:\n%s" % out)
        code, out, err = curl(base + "INBOX?SUBJECT%20curl")
        h.check(code == 0 and "SEARCH 1" in out, "curl SEARCH exited %d: %s %s" % (code, out, err))
        code, out, err = curl(base, "--request", "CREATE Archive")
        h.check(code == 0, "curl CREATE exited %d: %s" % (code, err))
        code, out, err = curl(base)
        h.check("Archive" in out, "the created folder is not listed:\n%s" % out)
        code, out, err = curl(base, user="carol@example.test:wrong")
        h.check(code == 67, "a wrong password: curl exited %d (want 67, login denied): %s" % (code, err))
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
