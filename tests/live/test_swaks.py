"""swaks (a real SMTP client) sends with PIPELINING to mx1's SMTP port; bob gets the message."""
import os
import shutil
import subprocess

import live_harness as h


def body(mailsim):
    swaks = shutil.which("swaks")
    if not swaks:
        h.skip("swaks is not installed (apt-get install swaks; quickstart.sh does)")
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json")).start()
    try:
        port = server.port("mx1.example.org", "smtp")
        run = subprocess.run(
            [swaks, "--server", "127.0.0.1:%d" % port, "--pipeline", "--timeout", "10",
             "--ehlo", "outside.test", "--from", "carol@outside.test", "--to", "bob@example.org",
             "--header", "Subject: pipelined by swaks", "--body", "Sent with PIPELINING.\n.dot line\n"],
            capture_output=True, text=True, timeout=20)
        h.check(run.returncode == 0, "swaks exited with %d:\n%s%s" % (run.returncode, run.stdout, run.stderr))
        # swaks prints "->" for what it sends and "<-" for replies: with PIPELINING the
        # MAIL, RCPT and DATA commands go out before the first of their replies comes back.
        lines = run.stdout.splitlines()
        sent = [i for i, l in enumerate(lines) if l.startswith(" -> ") and l[4:].split(":")[0] in ("MAIL FROM", "RCPT TO")]
        data = [i for i, l in enumerate(lines) if l == " -> DATA"]
        replies = [i for i, l in enumerate(lines) if l.startswith("<-  250 2.1.")]
        h.check(len(sent) == 2 and data and replies, "unexpected swaks transcript:\n" + run.stdout)
        h.check(data[0] < replies[0], "swaks did not pipeline MAIL/RCPT/DATA:\n" + run.stdout)
        h.check(any(l.startswith("<-  250 2.0.0") for l in lines), "no 250 after the message:\n" + run.stdout)
        messages = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 1)
        h.check(len(messages) == 1, "bob's mailbox holds %d messages, want 1" % len(messages))
        h.check(b"Subject: pipelined by swaks" in messages[0], "the message is not swaks's:\n%r" % messages[0])
        h.check(b"\r\n.dot line\r\n" in messages[0], "the dot line did not survive:\n%r" % messages[0])
        h.check(b"Return-Path: <carol@outside.test>" in messages[0], "no Return-Path:\n%r" % messages[0])
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
        h.check(">>> MAIL FROM:<carol@outside.test>" in server.output(), "the narration lacks swaks's MAIL command")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
