"""--spool under load: kill -9 at moments spread over the write-to-250 path; every 250 survives the restarts."""
import os
import signal
import smtplib
import threading
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "live-world.json")
CLIENTS = 8


def load(server, round_no, acked, stop):
    """CLIENTS threads send one message after another until stopped; each 250 is recorded."""
    def client(k):
        n = 0
        try:
            with smtplib.SMTP("127.0.0.1", server.port("mx1.example.org", "smtp"), timeout=10) as c:
                while not stop.is_set():
                    subject = "r%d-c%d-%d" % (round_no, k, n)
                    c.sendmail("carol@outside.test", ["bob@example.org"], "Subject: %s\r\n\r\nbody\r\n" % subject)
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


def body(mailsim):
    acked = set()
    first = h.live_server(mailsim, SCENARIO)
    spool = os.path.join(first.scratch, "spool")
    args = ["--spool", spool, "--retain", "0", "--quiet"]
    # Kill moments spread over the path from DATA to 250 (and the delivery after it).
    for round_no, delay in enumerate([0.05, 0.13, 0.21, 0.34, 0.55]):
        server = h.live_server(mailsim, SCENARIO, args, first.scratch).start()
        stop = threading.Event()
        try:
            threads = load(server, round_no, acked, stop)
            time.sleep(delay)
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(5)
        finally:
            stop.set()
            server.kill()
        for t in threads:
            t.join(15)
    h.check(len(acked) > 0, "no message was acknowledged before the kills")

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
    print("%d acknowledged messages, all delivered after 5 kills" % len(acked))


if __name__ == "__main__":
    h.main(body)
