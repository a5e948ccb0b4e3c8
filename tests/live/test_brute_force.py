"""Password guessing: on SMTP each failed AUTH is an error, the replies wait longer and longer, and the hard limit
ends the session (this world: soft limit 2, hard limit 6, 100 ms a step); on POP3 ten failed logins from one
address refuse it, the right password included."""
import base64
import os
import poplib
import socket
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "hardening-world.json")


def plain(user, password):
    return "AUTH PLAIN " + base64.b64encode(("\0%s\0%s" % (user, password)).encode()).decode()


def smtp_guessing(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rb")
        h.read_reply(f)
        s.sendall(b"EHLO guess.outside.test\r\n")
        h.read_reply(f)
        waits = []
        for _ in range(6):
            started = time.monotonic()
            s.sendall((plain("alice@sender.test", "guess") + "\r\n").encode())
            reply = h.read_reply(f)
            waits.append(time.monotonic() - started)
            h.check(reply and reply[-1].startswith("535 5.7.8"), "a wrong password got %r" % reply)
        h.check(h.read_reply(f)[-1].startswith("421 4.7.0"), "no 421 after the 6th error")
        # The right password comes too late: the server has closed.
        try:
            s.sendall((plain("alice@sender.test", "alice-pw") + "\r\n").encode())
        except OSError:
            pass
        h.check(h.read_reply(f) == [], "the server still answers after 421")
    # Errors 2..6 waited 0.1, 0.2, ... 0.5 s: each answer slower than the one before.
    h.check(waits[0] < 0.09, "the first guess was delayed: %r" % waits)
    for a, b in zip(waits[1:], waits[2:]):
        h.check(b > a + 0.05, "the waits do not grow: %r" % waits)


def pop3_login(port, password):
    """'ok', or the -ERR text."""
    box = poplib.POP3("127.0.0.1", port, timeout=5)
    try:
        box.user("bob@example.org")
        box.pass_(password)
        box.quit()
        return "ok"
    except poplib.error_proto as e:
        return e.args[0].decode()
    finally:
        box.close()


def body(mailsim):
    server = h.live_server(mailsim, SCENARIO).start()
    try:
        smtp_guessing(server.port("mail.sender.test", "submission"))
        out = server.output()
        h.check(out.count("policy check auth: reject") == 6, "want 6 narrated AUTH failures:\n" + out[-3000:])
        h.check("6 errors, the limit: the server says 421" in out, "the error limit is not narrated")

        pop3 = server.port("mx1.example.org", "pop3")
        h.check(pop3_login(pop3, "bob-pw") == "ok", "bob cannot log in at first")
        answers = [pop3_login(pop3, "guess-%d" % i) for i in range(10)]
        h.check(all(a.startswith("-ERR [AUTH]") for a in answers), "wrong passwords got %r" % answers)
        refused = pop3_login(pop3, "bob-pw")
        h.check(refused.startswith("-ERR [SYS/TEMP] too many failed logins"), "after 10 failures: %r" % refused)
        h.check("policy check pop3_login: refused" in server.output(), "the lockout is not narrated")
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
