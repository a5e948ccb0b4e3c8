"""1000 pipelined NOOPs: 100 are free, then each is an error, replies slow down, 421 at the 20th error and the
connection closes (Postfix smtpd_junk_command_limit); a POP3 client that never logs in is cut off too."""
import os
import socket
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "hardening-world.json")


def read_all(s, timeout=20.0):
    """Everything the server sends until it closes the connection."""
    s.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    h.fail("the server did not close the connection within %.0f s" % timeout)


def body(mailsim):
    server = h.live_server(mailsim, SCENARIO).start()
    try:
        with socket.create_connection(("127.0.0.1", server.port("mx1.example.org", "smtp")), timeout=10) as s:
            started = time.monotonic()
            s.sendall(b"EHLO junk.outside.test\r\n" + b"NOOP\r\n" * 1000)
            lines = read_all(s).decode("ascii", "replace").split("\r\n")
            took = time.monotonic() - started
        oks = [l for l in lines if l.startswith("250 2.0.0 Ok")]
        h.check(len(oks) == 120, "%d NOOPs answered, want 120 (100 free + 20 errors)" % len(oks))
        h.check(lines[-2].startswith("421 4.7.0 mx1.example.org Error: too many errors"), "last reply %r" % lines[-2:])
        # From the 10th error on each reply waited 10 ms more than the one before: 10 + 20 + ... + 110 ms.
        h.check(took >= 0.6, "the tarpit did not slow the replies down (%.2f s)" % took)
        out = server.output()
        h.check("101 commands that move no mail (NOOP, RSET, VRFY, HELP), over the limit of 100" in out,
                "the junk limit is not narrated:\n" + out[-2000:])
        h.check("20 errors, the limit: the server says 421 and closes the connection" in out,
                "the error limit is not narrated:\n" + out[-2000:])
        h.check(out.count("this reply waits") == 11, "want 11 delayed replies narrated")

        with socket.create_connection(("127.0.0.1", server.port("mx1.example.org", "pop3")), timeout=10) as s:
            s.sendall(b"CAPA\r\n" * 200)
            text = read_all(s).decode("ascii", "replace")
        h.check(text.count("+OK Capability list follows") == 30, "POP3 answered %d CAPAs, want 30"
                % text.count("+OK Capability list follows"))
        h.check(text.endswith("-ERR too many commands without logging in, signing off\r\n"), "POP3 end: %r" % text[-80:])
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
