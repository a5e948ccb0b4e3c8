"""Greylisting, SPF and a DNSBL treat a real outside client like any other client."""
import os
import smtplib
import time

import live_harness as h


def attempt(port, sender, rcpt):
    """MAIL and RCPT; returns (code, text) of the first refusal, or of the RCPT when both pass."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("workstation.outside.test")
        code, text = client.mail(sender)
        if code != 250:
            return code, text
        return client.rcpt(rcpt)


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "policy-world.json")).start()
    try:
        greylisting = server.port("mx1.example.org", "smtp")
        code, text = attempt(greylisting, "carol@outside.test", "bob@example.org")
        h.check(code == 451 and text.startswith(b"4.7.1"), "first attempt: %d %r, want 451 4.7.1" % (code, text))
        time.sleep(2.5)  # the scenario's greylist delay is 2 s, in real time
        code, text = attempt(greylisting, "carol@outside.test", "bob@example.org")
        h.check(code == 250, "retry after the greylist delay: %d %r, want 250" % (code, text))

        code, text = attempt(server.port("mx.spf.test", "smtp"), "carol@outside.test", "dave@spf.test")
        h.check(code == 550 and text.startswith(b"5.7.23"), "SPF fail: %d %r, want 550 5.7.23" % (code, text))

        code, text = attempt(server.port("mx.listed.test", "smtp"), "carol@outside.test", "erin@listed.test")
        h.check(code == 554 and b"bl.dnsbl.test" in text and b"203.0.113.200" in text,
                "DNSBL: %d %r, want 554 naming the list and the client" % (code, text))
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
