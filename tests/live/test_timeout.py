"""A silent client is dropped after the command timeout (here 2 s, from the scenario's limits) with a 421."""
import os
import socket
import time

import live_harness as h


def silent_after(port, commands, timeout_s):
    """Sends `commands`, then stays silent; returns (the replies after the silence, seconds until the close)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    h.check(h.read_reply(f)[0].startswith("220 "), "no greeting")
    for command in commands:
        s.sendall(command + b"\r\n")
        h.read_reply(f)
    started = time.monotonic()
    got = h.read_reply(f)
    rest = f.readline()
    elapsed = time.monotonic() - started
    s.close()
    h.check(rest == b"", "the connection stayed open after %r" % got)
    h.check(timeout_s - 0.5 <= elapsed <= timeout_s + 3, "dropped after %.1f s, want about %d s" % (elapsed, timeout_s))
    return got


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "timeout-world.json")).start()
    try:
        port = server.port("mx1.example.org", "smtp")
        got = silent_after(port, [b"EHLO silent.outside.test"], 2)
        h.check(len(got) == 1 and got[0].startswith("421 "), "after the command timeout: %r, want a 421" % got)
        # In DATA the data timeout applies; a message cut off there is not queued.
        got = silent_after(port, [b"EHLO slow.outside.test", b"MAIL FROM:<slow@outside.test>",
                                  b"RCPT TO:<bob@example.org>", b"DATA"], 2)
        h.check(len(got) == 1 and got[0].startswith("421 "), "after the data timeout: %r, want a 421" % got)
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
        h.check("queued " not in server.output(), "a message was queued:\n" + server.output())
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
