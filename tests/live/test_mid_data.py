"""A client that disconnects in the middle of DATA leaves nothing queued; the next, complete message is queued once."""
import json
import os
import smtplib
import socket

import live_harness as h


def abandon_in_data(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = s.makefile("rb")
    h.check(h.read_reply(f)[0].startswith("220 "), "no greeting")
    for command, want in ((b"EHLO quitter.outside.test", "250"), (b"MAIL FROM:<quitter@outside.test>", "250"),
                          (b"RCPT TO:<bob@example.org>", "250"), (b"DATA", "354")):
        s.sendall(command + b"\r\n")
        got = h.read_reply(f)
        h.check(got and got[-1].startswith(want), "%r got %r" % (command, got))
    s.sendall(b"Subject: abandoned\r\n\r\nThe first half of a message that never ends")
    f.close()
    s.close()


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json"))
    trace = os.path.join(server.scratch, "trace.jsonl")
    server.extra = ["--trace", trace]
    server.start()
    try:
        port = server.port("mx1.example.org", "smtp")
        abandon_in_data(port)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail("carol@outside.test", ["bob@example.org"], "Subject: complete\r\n\r\nAll of it.\r\n")
        messages = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 1)
        h.check(len(messages) == 1 and b"Subject: complete" in messages[0], "bob's mailbox: %r" % messages)
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
        with open(trace) as f:
            events = [json.loads(line) for line in f]
        enqueued = [e for e in events if e["event"] == "queue.enqueue"]
        h.check(len(enqueued) == 1 and enqueued[0]["from"] == "carol@outside.test",
                "want one queue.enqueue (carol's), got %r" % enqueued)
        h.check(not any("abandoned" in json.dumps(e) for e in events if e["event"].startswith(("queue.", "lda."))),
                "the abandoned message reached the queue or a mailbox")
        h.check(any(e["event"] in ("net.close", "net.reset") and e.get("host") == "mx1.example.org" for e in events),
                "the abandoned session was never closed")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
