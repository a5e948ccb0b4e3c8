"""Python's smtplib submits (EHLO, AUTH PLAIN, dot lines) and poplib reads the relayed message back."""
import email
import os
import smtplib

import live_harness as h

BODY_LINES = [
    "First line.",
    ".a line that starts with a dot",
    "..two dots",
    ".",
    "...",
    "Last line.",
]


def submit(port):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        code, text = client.ehlo("workstation.test")
        h.check(code == 250, "EHLO got %d %r" % (code, text))
        h.check(client.has_extn("auth") and "PLAIN" in client.esmtp_features["auth"].upper(),
                "submission does not offer AUTH PLAIN: %r" % client.esmtp_features)
        client.user, client.password = "alice@sender.test", "alice-pw"
        code, text = client.auth("PLAIN", client.auth_plain)
        h.check(code == 235, "AUTH PLAIN got %d %r" % (code, text))
        message = ("From: Alice <alice@sender.test>\r\nTo: Bob <bob@example.org>\r\n"
                   "Subject: dots from smtplib\r\nMessage-ID: <dots@workstation.test>\r\n\r\n"
                   + "\r\n".join(BODY_LINES) + "\r\n")
        refused = client.sendmail("alice@sender.test", ["bob@example.org"], message)
        h.check(refused == {}, "recipients refused: %r" % refused)
        code, text = client.noop()
        h.check(code == 250, "NOOP after the message got %d" % code)


def relay_refused(port):
    """Unauthenticated, the outside client may not relay (it is outside every mynetworks)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("workstation.test")
        client.mail("alice@sender.test")
        code, text = client.rcpt("bob@example.org")
        h.check(code == 554 and b"Relay access denied" in text, "unauthenticated relay got %d %r" % (code, text))


def check_retrieved(raw):
    msg = email.message_from_bytes(raw)
    h.check(msg["Return-Path"] == "<alice@sender.test>", "Return-Path is %r" % msg["Return-Path"])
    received = msg.get_all("Received") or []
    h.check(len(received) == 2, "want 2 Received headers, got %d: %r" % (len(received), received))
    # The newest first (RFC 5321 section 4.4): mx1 received it from mail.sender.test,
    # which received it from the outside client.
    h.check("by mx1.example.org" in received[0] and "mail.sender.test" in received[0],
            "first Received: %r" % received[0])
    h.check("by mail.sender.test" in received[1], "second Received: %r" % received[1])
    h.check(msg["Subject"] == "dots from smtplib", "Subject is %r" % msg["Subject"])
    got = msg.get_payload().split("\n")
    got = [line.rstrip("\r") for line in got]
    h.check(got[:len(BODY_LINES)] == BODY_LINES, "body lines: got %r want %r" % (got, BODY_LINES))


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json")).start()
    try:
        relay_refused(server.port("mail.sender.test", "smtp"))
        submit(server.port("mail.sender.test", "submission"))
        messages = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 1)
        h.check(len(messages) == 1, "bob's mailbox holds %d messages, want 1:\n%s" % (len(messages), server.output()))
        check_retrieved(messages[0])
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
        out = server.output()
        h.check(">>> AUTH PLAIN" in out, "the narrated trace shows no AUTH PLAIN command")
        h.check("AUTH PLAIN " + "AGFsaWNl" not in out, "the narrated trace shows the AUTH PLAIN credentials")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
