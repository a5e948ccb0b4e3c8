"""kill -9 under load, again and again, with --spool: no acknowledged message is ever lost, and the number
delivered twice (the RFC 5321 6.1 window between the final dot and its reply, per hop) is reported.

Each cycle starts `mailsim serve` on the same spool, runs four clients (two to mx1:25, delivered locally; two
through mail.sender.test:587, relayed to mx1) until a few messages are acknowledged and then for a random
moment more, then kills the server with SIGKILL.  A message
counts as acknowledged once its 250 arrived.  A last run delivers what is queued; then bob's mailbox files must
hold every acknowledged message.  Cycles: 12 by default, MAILSIM_KILL_CYCLES to run more by hand."""
import collections
import os
import random
import signal
import smtplib
import threading
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "hardening-world.json")
CYCLES = int(os.environ.get("MAILSIM_KILL_CYCLES", "12"))


class client(threading.Thread):
    """Sends numbered messages over one connection until the server dies; records the acknowledged ones."""

    def __init__(self, name, port, login, acked):
        super().__init__(daemon=True)
        self.name, self.port, self.login, self.acked = name, port, login, acked

    def run(self):
        n = 0
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=5) as c:
                if self.login:
                    c.login(*self.login)
                sender = self.login[0] if self.login else "load@outside.test"
                while True:
                    n += 1
                    subject = "%s-%d" % (self.name, n)
                    c.sendmail(sender, ["bob@example.org"], "Subject: %s\r\n\r\nkill loop\r\n" % subject)
                    self.acked.append(subject)  # only after the 250 for the final dot
        except (OSError, smtplib.SMTPException):
            return  # the server was killed


def files_under(folder):
    """The store's files (its ".tmp-" files are writes in progress, not yet there)."""
    return [os.path.join(d, n) for d, _, names in os.walk(folder) for n in names if not n.startswith(".tmp-")]


def mailbox_subjects(spool):
    out = collections.Counter()
    for path in files_under(os.path.join(spool, "mx1.example.org", "mail", "mbox")):
        try:
            data = open(path, "rb").read()
        except FileNotFoundError:
            continue  # removed while we looked (the server is running)
        for line in data.split(b"\r\n"):
            if line.startswith(b"Subject: "):
                out[line[9:].decode()] += 1
                break
    return out


def queued(spool):
    return sum(len(files_under(os.path.join(spool, host, "spool", "queue")))
               for host in ("mx1.example.org", "mail.sender.test"))


def body(mailsim):
    rng = random.Random(int(os.environ.get("MAILSIM_KILL_SEED", str(os.getpid()))))
    scratch = None
    spool = None
    acked = []
    started = time.monotonic()
    for cycle in range(CYCLES):
        server = h.live_server(mailsim, SCENARIO, scratch=scratch)
        scratch = server.scratch
        spool = os.path.join(scratch, "spool")
        server.extra = ["--spool", spool, "--quiet", "--retain", "0"]  # bob keeps every message
        server.start()
        try:
            clients = [client("c%d-mx%d" % (cycle, i), server.port("mx1.example.org", "smtp"), None, acked) for i in range(2)]
            clients += [client("c%d-sub%d" % (cycle, i), server.port("mail.sender.test", "submission"),
                               ("alice@sender.test", "alice-pw"), acked) for i in range(2)]
            before = len(acked)
            for c in clients:
                c.start()
            # Under load: a few acknowledged messages first (a slow build, a
            # busy machine), then a random moment more, then the kill.
            deadline = time.monotonic() + 10
            while len(acked) - before < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.2, 0.9))
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(5)
            for c in clients:
                c.join(10)
                h.check(not c.is_alive(), "a client did not notice the kill")
        finally:
            server.kill()
    h.check(len(acked) >= 3 * CYCLES, "too little load: %d acknowledged messages in %d cycles" % (len(acked), CYCLES))

    # A running serve writes its spool's files only at checkpoints (and when it stops): watch bob's
    # mailbox over POP3 until every acknowledged subject is there, then stop it and read the files.
    last = h.live_server(mailsim, SCENARIO, ["--spool", spool, "--quiet", "--retain", "0"], scratch).start()
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            messages = h.pop3_messages(last.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 0)
            seen = set()
            for m in messages:
                for line in m.split(b"\r\n"):
                    if line.startswith(b"Subject: "):
                        seen.add(line[9:].decode())
                        break
            if set(acked) <= seen:
                break
            time.sleep(0.5)
        time.sleep(1)  # the queue files' removals after the last deliveries
        h.check(last.stop() == 0, "the last serve did not exit 0")
    finally:
        last.kill()
    h.check(queued(spool) == 0, "the queues did not empty:\n" + last.output()[-2000:])

    got = mailbox_subjects(spool)
    lost = [s for s in acked if got[s] == 0]
    twice = sum(1 for s in acked if got[s] > 1)
    print("kill loop: %d cycles, %d acknowledged, %d lost, %d delivered twice (%.1f s)"
          % (CYCLES, len(acked), len(lost), twice, time.monotonic() - started), flush=True)
    dup_kinds = collections.Counter(s.split("-")[1][:2] for s in acked if got[s] > 1)
    print("delivered twice by client kind: %r" % dict(dup_kinds), flush=True)
    h.check(lost == [], "%d acknowledged message(s) lost, first %r" % (len(lost), lost[:5]))


if __name__ == "__main__":
    h.main(body)
