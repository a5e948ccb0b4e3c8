"""Odd parameters from a raw client: SIZE with 20 digits gets 552 (RFC 1870), an ORCPT or ENVID hiding a NUL gets
501 (nothing reaches a DSN), and AUTH PLAIN for another identity gets 535 (RFC 4616 2)."""
import base64
import os
import socket

import live_harness as h

SCENARIO = os.path.join(h.HERE, "hardening-world.json")


class session:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.f = self.s.makefile("rb")
        h.read_reply(self.f)
        self.say("EHLO params.outside.test")

    def say(self, line):
        self.s.sendall(line.encode() + b"\r\n")
        return h.read_reply(self.f)[-1]

    def close(self):
        self.say("QUIT")
        self.s.close()


def body(mailsim):
    server = h.live_server(mailsim, SCENARIO).start()
    try:
        mx = session(server.port("mx1.example.org", "smtp"))
        got = mx.say("MAIL FROM:<a@b.test> SIZE=99999999999999999999")
        h.check(got.startswith("552 5.3.4"), "SIZE with 20 digits: %r, want 552" % got)
        got = mx.say("MAIL FROM:<a@b.test> SIZE=100000000000000000000")
        h.check(got.startswith("501"), "SIZE with 21 digits: %r, want 501" % got)
        got = mx.say("MAIL FROM:<a@b.test> ENVID=QQ+00")
        h.check(got.startswith("501"), "ENVID with a NUL: %r, want 501" % got)
        h.check(mx.say("MAIL FROM:<a@b.test>").startswith("250"), "MAIL refused")
        got = mx.say("RCPT TO:<bob@example.org> ORCPT=rfc822;bob+00@example.org")
        h.check(got.startswith("501 5.5.4 Bad ORCPT parameter syntax"), "ORCPT with a NUL: %r, want 501" % got)
        got = mx.say("RCPT TO:<bob@example.org> ORCPT=rfc822;bob@example.org+0D+0ABcc:+20x@y.test")
        h.check(got.startswith("501"), "ORCPT with CR LF: %r, want 501" % got)
        h.check(mx.say("RCPT TO:<bob@example.org> ORCPT=rfc822;bob@example.org").startswith("250"), "plain ORCPT refused")
        mx.close()

        sub = session(server.port("mail.sender.test", "submission"))
        other = base64.b64encode(b"ceo@sender.test\0alice@sender.test\0alice-pw").decode()
        got = sub.say("AUTH PLAIN " + other)
        h.check(got.startswith("535 5.7.8"), "AUTH PLAIN as another identity: %r, want 535" % got)
        same = base64.b64encode(b"alice@sender.test\0alice@sender.test\0alice-pw").decode()
        got = sub.say("AUTH PLAIN " + same)
        h.check(got.startswith("235"), "AUTH PLAIN with authzid = authcid: %r, want 235" % got)
        sub.close()
        h.check("may not act as <ceo@sender.test>" in server.output(), "the refusal is not narrated")
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
