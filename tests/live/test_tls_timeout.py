"""`limits.tls_handshake_timeout` (here 1 s): a client that opens a TLS
handshake and then says nothing is closed after it, on the implicit-TLS port
(pop3s) and after STARTTLS (IMAP) and STLS (POP3), while another client is
served normally meanwhile (poplib's stls(), verified against ca.pem).

And the orderly end (RFC 8446 6.1): after QUIT the server sends close_notify
before its TCP close, and a client that never answers it holds the socket
no longer than that same limit.
"""
import os
import poplib
import socket
import ssl
import tempfile
import time

import live_harness as h

LIMIT = 1.0


def silent_implicit(port):
    """Connects to an implicit-TLS port and sends nothing (not even a ClientHello)."""
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def silent_after(port, greeting, command, answer):
    """Reads the greeting, says STARTTLS / STLS, reads its OK, then sends nothing."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    h.check(f.readline().startswith(greeting), "no greeting")
    s.sendall(command + b"\r\n")
    line = f.readline()
    h.check(line.startswith(answer), "%r answered %r" % (command, line))
    return s


def closed_after(s, started):
    """Seconds from `started` until the server closes `s` (EOF or reset); fails after 10 s."""
    try:
        while s.recv(4096):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        h.fail("the stalled handshake was not closed within 10 s")
    s.close()
    return time.monotonic() - started


class bio_client:
    """A TLS client over Python's memory BIOs: it sees the server's close_notify
    (SSLZeroReturnError), and can leave it unanswered with the socket open."""

    def __init__(self, port, ca, name):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        context = ssl.create_default_context(cafile=ca)
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname=name)
        self.call(self.tls.do_handshake)

    def flush(self):
        data = self.outgoing.read()
        if data:
            self.sock.sendall(data)

    def call(self, step, *args):
        while True:
            try:
                result = step(*args)
                self.flush()
                return result
            except ssl.SSLWantReadError:
                self.flush()
                data = self.sock.recv(65536)
                if not data:
                    h.fail("the server closed the TCP connection without close_notify")
                self.incoming.write(data)

    def line(self):
        got = b""
        while not got.endswith(b"\r\n"):
            got += self.call(self.tls.read, 1)
        return got


def orderly_close(server, ca):
    """QUIT on pop3s: close_notify arrives; unanswered, the TCP close follows within the limit."""
    c = bio_client(server.port("mx1.example.org", "pop3s"), ca, "mx1.example.org")
    h.check(c.line().startswith(b"+OK"), "no pop3s greeting")
    c.call(c.tls.write, b"QUIT\r\n")
    h.check(c.line().startswith(b"+OK"), "QUIT not answered")
    # The read ends without data only on the server's close_notify (b"", or
    # SSLZeroReturnError); a TCP close without it fails in call().
    try:
        after = c.call(c.tls.read, 1)
    except ssl.SSLZeroReturnError:
        after = b""
    h.check(after == b"", "data after QUIT's reply instead of close_notify: %r" % after)
    started = time.monotonic()
    elapsed = closed_after(c.sock, started)
    h.check(elapsed <= LIMIT + 3, "the unanswered close_notify held the socket %.2f s" % elapsed)


def body(mailsim):
    scratch = tempfile.mkdtemp(prefix="mailsim-tls-timeout-")
    h.SCRATCH.append(scratch)
    tls_dir = os.path.join(scratch, "tls")
    server = h.live_server(mailsim, os.path.join(h.HERE, "tls-timeout-world.json"), ["--tls-dir", tls_dir]).start()
    try:
        started = time.monotonic()
        stalled = [silent_implicit(server.port("mx1.example.org", "pop3s")),
                   silent_after(server.port("mx1.example.org", "imap"), b"* OK", b"a STARTTLS", b"a OK"),
                   silent_after(server.port("mx1.example.org", "pop3"), b"+OK", b"STLS", b"+OK")]
        # Meanwhile another client completes STLS and logs in.
        p = poplib.POP3("127.0.0.1", server.port("mx1.example.org", "pop3"), timeout=10)
        p.host = "mx1.example.org"
        p.stls(context=ssl.create_default_context(cafile=os.path.join(tls_dir, "ca.pem")))
        p.user("bob@example.org")
        p.pass_("bob-pw")
        h.check(p.stat()[0] == 0, "bob's mailbox is not empty")
        p.quit()
        served = time.monotonic() - started
        h.check(served < LIMIT, "the other client took %.2f s, as long as the stalled handshakes" % served)
        for s in stalled:
            elapsed = closed_after(s, started)
            h.check(LIMIT - 0.2 <= elapsed <= LIMIT + 3, "closed after %.2f s, want about %.0f s" % (elapsed, LIMIT))
        h.check(server.wait_for_output("handshake timed out", 5), "no tls.fail for the timeout:\n" + server.output())
        orderly_close(server, os.path.join(tls_dir, "ca.pem"))
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
