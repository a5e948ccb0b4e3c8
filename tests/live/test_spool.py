"""--spool: kill -9 right after the 250s; the next serve with the same spool delivers what was acknowledged."""
import os
import signal
import struct
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


def journaled(spool, prefix):
    """The names under prefix that the spool's live journals leave put (sim/storage/journal.hpp): a
    running serve writes its files only at checkpoints, so after a kill -9 an acknowledged queue
    file may be in the journal alone, until the next start replays it."""
    live = []
    for k in (0, 1):
        try:
            with open(os.path.join(spool, ".journal-%d" % k), "rb") as f:
                data = f.read()
        except OSError:
            continue
        if data[:8] == b"MSJHDR01" and struct.unpack_from("<QI", data, 8)[1] == 1:
            live.append((struct.unpack_from("<Q", data, 8)[0], data))
    names = set()
    for generation, data in sorted(live):
        pos = 4096
        while pos + 24 <= len(data):
            if data[pos:pos + 4] != b"MSJ1":
                if pos % 4096 == 0:
                    break  # no batch starts here: the end of the records
                pos += 4096 - pos % 4096  # padding: the next batch starts at a block
                continue
            g, kind, _, path_len, value_len = struct.unpack_from("<QBBHI", data, pos + 8)
            if g != generation:
                break
            path = data[pos + 24:pos + 24 + path_len].decode()
            if path.startswith(prefix):
                (names.add if kind == 1 else names.discard)(path)
            pos += 24 + path_len + value_len
    return sorted(names)


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
    queued = {os.path.relpath(p, spool) for p in files_under(os.path.join(spool, "mail.sender.test", "spool"))}
    queued = sorted(queued | set(journaled(spool, "mail.sender.test/spool/")))
    h.check(len(queued) == 1, "mail.sender.test's spool holds %r after the kill (files and journal), want one "
            "queue file:\n%s" % (queued, first.output()))

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
