"""--spool under load: kill -9 at moments spread over the write-to-250 path; every 250 survives the restarts.

The spool's files are written lazily, when a journal fills and is checkpointed: the first rounds'
kills find acknowledged messages in the journal only (the restart replays it); the last rounds send
messages of 256 KiB, so that the 32 MiB journal fills within the round and the kill can land in a
checkpoint (files written, syncfs, journal emptied) or just after the move to the other journal.
The journals' headers show that at least one round went past a rotation."""
import os
import signal
import smtplib
import struct
import threading
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "live-world.json")
CLIENTS = 8


BIG_BODY = ("x" * 78 + "\r\n") * (256 * 1024 // 80)


def load(server, round_no, acked, stop, big):
    """CLIENTS threads send one message after another until stopped; each 250 is recorded."""
    def client(k):
        n = 0
        try:
            with smtplib.SMTP("127.0.0.1", server.port("mx1.example.org", "smtp"), timeout=10) as c:
                while not stop.is_set():
                    subject = "r%d-c%d-%d" % (round_no, k, n)
                    body = BIG_BODY if big else "body\r\n"
                    c.sendmail("carol@outside.test", ["bob@example.org"], "Subject: %s\r\n\r\n%s" % (subject, body))
                    acked.add(subject)
                    n += 1
        except (OSError, smtplib.SMTPException):
            pass  # the server was killed under us: what was not acknowledged may be lost
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    return threads


def subjects(messages):
    out = set()
    for m in messages:
        for line in m.split(b"\r\n"):
            if line.startswith(b"Subject: "):
                out.add(line[9:].decode())
    return out


def journal_generation(spool, k):
    """The generation in the header of journal k (0 when it has none)."""
    try:
        with open(os.path.join(spool, ".journal-%d" % k), "rb") as f:
            header = f.read(24)
    except OSError:
        return 0
    return struct.unpack("<Q", header[8:16])[0] if header[:8] == b"MSJHDR01" else 0


def body(mailsim):
    acked = set()
    first = h.live_server(mailsim, SCENARIO)
    spool = os.path.join(first.scratch, "spool")
    args = ["--spool", spool, "--retain", "0", "--quiet"]
    # Kill moments spread over the path from DATA to 250 (and the delivery after it), then over
    # the first checkpoint of a journal filled by big messages.
    rotated = 0
    rounds = [(0.05, False), (0.13, False), (0.21, False), (0.34, False), (0.55, False),
              (0.6, True), (0.9, True), (1.3, True)]
    for round_no, (delay, big) in enumerate(rounds):
        server = h.live_server(mailsim, SCENARIO, args, first.scratch).start()
        stop = threading.Event()
        try:
            threads = load(server, round_no, acked, stop, big)
            time.sleep(delay)
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(5)
        finally:
            stop.set()
            server.kill()
        for t in threads:
            t.join(15)
        # Opening made journal 0 the live one with the newest generation: journal 1 newer means
        # the round moved to it.
        if os.path.isdir(spool) and journal_generation(spool, 1) > journal_generation(spool, 0):
            rotated += 1
    h.check(len(acked) > 0, "no message was acknowledged before the kills")
    h.check(rotated > 0, "no round filled a journal: the checkpoint path was not under the kills")

    last = h.live_server(mailsim, SCENARIO, args, first.scratch).start()
    try:
        # The restart delivers what the queue recovered; duplicates are allowed (a kill between the
        # mailbox write and the queue file's removal), so wait for the subjects, not a count.
        deadline = time.monotonic() + 20
        while True:
            got = subjects(h.pop3_messages(last.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 0))
            if acked <= got or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        lost = sorted(acked - got)
        h.check(not lost, "%d of %d acknowledged messages lost after kill -9: %r" % (len(lost), len(acked), lost[:10]))
        h.check(last.stop() == 0, "the last serve did not exit 0")
    finally:
        last.kill()
    print("%d acknowledged messages, all delivered after %d kills (%d past a journal rotation)" % (
        len(acked), len(rounds), rotated))


if __name__ == "__main__":
    h.main(body)
