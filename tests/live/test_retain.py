"""--retain N: each mailbox keeps its newest N messages; drops are traced (lda.drop), never seen mid-session."""
import json
import os
import poplib
import smtplib
import subprocess
import time

import live_harness as h

SCENARIO = os.path.join(h.HERE, "live-world.json")


def send(server, subjects):
    """One message at a time, each filed before the next is sent, so the mailbox holds them in this order."""
    with smtplib.SMTP("127.0.0.1", server.port("mx1.example.org", "smtp"), timeout=10) as client:
        for s in subjects:
            filed = server.output().count("filed into mailbox bob@example.org")
            client.sendmail("carol@outside.test", ["bob@example.org"], "Subject: %s\r\n\r\nbody\r\n" % s)
            deadline = time.monotonic() + 10
            while server.output().count("filed into mailbox bob@example.org") <= filed:
                h.check(time.monotonic() < deadline, "%s was not filed:\n%s" % (s, server.output()))
                time.sleep(0.02)


def subjects_of(box):
    out = []
    for i in range(1, box.stat()[0] + 1):
        for line in box.retr(i)[1]:
            if line.startswith(b"Subject: "):
                out.append(line[9:].decode())
    return out


def login(server):
    box = poplib.POP3("127.0.0.1", server.port("mx1.example.org", "pop3"), timeout=10)
    box.user("bob@example.org")
    box.pass_("bob-pw")
    return box


def body(mailsim):
    bad = subprocess.run([mailsim, "serve", SCENARIO, "--retain", "many"], capture_output=True, timeout=10)
    h.check(bad.returncode == 2 and b"--retain" in bad.stderr, "--retain many: exit %d, %r" % (bad.returncode, bad.stderr))

    server = h.live_server(mailsim, SCENARIO)
    trace_path = os.path.join(server.scratch, "trace.jsonl")
    server.extra = ["--retain", "3", "--trace", trace_path]
    server.start()
    try:
        send(server, ["m1", "m2", "m3", "m4", "m5"])
        h.check(server.wait_for_output(r"dropped message 00000002"), "no drop narrated:\n" + server.output())
        box = login(server)
        got = subjects_of(box)
        h.check(got == ["m3", "m4", "m5"], "bob's mailbox holds %r, want the newest three" % got)
        # While this session holds the maildrop, new mail waits; nothing it was shown goes away.
        send(server, ["m6", "m7"])
        h.check(subjects_of(box) == ["m3", "m4", "m5"], "the session's view changed under it")
        box.dele(1)
        box.quit()
        box = login(server)
        got = subjects_of(box)
        box.quit()
        h.check(got == ["m5", "m6", "m7"], "after the session bob's mailbox holds %r, want m5..m7" % got)
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        server.kill()
    with open(trace_path) as f:
        drops = [json.loads(line) for line in f if '"lda.drop"' in line]
    h.check([d["uid"] for d in drops] == ["00000001", "00000002", "00000004"], "lda.drop events: %r" % drops)
    h.check([d["dropped"] for d in drops] == [1, 2, 3] and all(d["retain"] == 3 for d in drops),
            "lda.drop counts: %r" % drops)


if __name__ == "__main__":
    h.main(body)
