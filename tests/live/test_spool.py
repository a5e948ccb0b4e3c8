"""--spool: kill -9 right after the 250s; the next serve with the same spool delivers what was acknowledged."""
import os
import signal
import time
import smtplib

import live_harness as h

SCENARIO = os.path.join(h.HERE, "spool-world.json")


def submit_both(server):
    # Relayed: mx1 refuses for the run's first 4 s, so this one waits in mail.sender.test's queue.
    with smtplib.SMTP("127.0.0.1", server.port("mail.sender.test", "submission"), timeout=10) as client:
        client.login("alice@sender.test", "alice-pw")
        client.sendmail("alice@sender.test", ["bob@example.org"], "Subject: relayed\r\n\r\nQueued at the kill.\r\n")
    # Local on mx1: may or may not reach the mailbox before the kill; either way it must not be lost.
    with smtplib.SMTP("127.0.0.1", server.port("mx1.example.org", "smtp"), timeout=10) as client:
        client.sendmail("carol@outside.test", ["bob@example.org"], "Subject: local\r\n\r\nAcknowledged.\r\n")


def files_under(folder):
    """The stored names under folder: not temp files (a kill can leave one; the next serve discards it),
    not the store's format mark."""
    return sorted(os.path.join(d, n) for d, _, names in os.walk(folder) for n in names if not n.startswith("."))


def subjects(messages):
    out = []
    for m in messages:
        for line in m.split(b"\r\n"):
            if line.startswith(b"Subject: "):
                out.append(line[9:].decode())
    return sorted(out)


def body(mailsim):
    first = h.live_server(mailsim, SCENARIO)
    spool = os.path.join(first.scratch, "spool")
    first.extra = ["--spool", spool]
    first.start()
    try:
        submit_both(first)
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(5)
    finally:
        first.kill()
    queued = files_under(os.path.join(spool, "mail.sender.test", "spool"))
    h.check(len(queued) == 1, "mail.sender.test's spool holds %r after the kill, want one queue file:\n%s"
            % (queued, first.output()))

    second = h.live_server(mailsim, SCENARIO, ["--spool", spool], first.scratch).start()
    try:
        # A kill between filing "local" and removing its queue file delivers it once more after the
        # restart (a duplicate, never a loss): wait for both subjects, not for a count.
        deadline = time.monotonic() + 15
        while True:
            messages = h.pop3_messages(second.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 0)
            got = sorted(set(subjects(messages)))
            if got == ["local", "relayed"] or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        h.check(got == ["local", "relayed"], "after the restart bob has %r, want local and relayed:\n%s"
                % (got, second.output()))
        for m in messages:
            if b"Subject: relayed" in m:
                h.check(m.count(b"Received: ") == 2, "the relayed message lacks a Received header:\n%r" % m)
        h.check(second.stop() == 0, "the second serve did not exit 0")
    finally:
        second.kill()
    h.check(files_under(os.path.join(spool, "mail.sender.test", "spool")) == [], "mail.sender.test's queue is not empty")

    # A third run finds the mailbox as the second left it.
    third = h.live_server(mailsim, SCENARIO, ["--spool", spool], first.scratch).start()
    try:
        got = sorted(set(subjects(h.pop3_messages(third.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 2, 2))))
        h.check(got == ["local", "relayed"], "the third run's mailbox holds %r" % got)
        h.check(third.stop() == 0, "the third serve did not exit 0")
    finally:
        third.kill()


if __name__ == "__main__":
    h.main(body)
