"""200 SMTP sessions open at once on mx1's port: every one gets 250 for its message, and all 200 arrive."""
import os
import smtplib
import threading

import live_harness as h

SESSIONS = 200


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json"), ["--quiet"]).start()
    try:
        port = server.port("mx1.example.org", "smtp")
        # Every session is connected and greeted before any of them sends.
        barrier = threading.Barrier(SESSIONS, timeout=20)
        results = [None] * SESSIONS

        def session(i):
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
                    client.ehlo("client%d.outside.test" % i)
                    barrier.wait()
                    message = "Subject: concurrent %d\r\n\r\nSession %d of %d.\r\n" % (i, i, SESSIONS)
                    client.mail("sender%d@outside.test" % i)
                    client.rcpt("bob@example.org")
                    code, text = client.data(message)
                    results[i] = (code, text)
            except Exception as e:  # reported below with the session's number
                results[i] = ("error", repr(e))

        threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(40)
        bad = [(i, r) for i, r in enumerate(results) if r is None or r[0] != 250]
        h.check(not bad, "%d of %d sessions failed, first: %r" % (len(bad), SESSIONS, bad[:3]))
        messages = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", SESSIONS, 20)
        subjects = sorted(int(m.split(b"Subject: concurrent ")[1].split(b"\r\n")[0]) for m in messages)
        h.check(subjects == list(range(SESSIONS)), "bob got %d messages, want one of each of %d" % (len(messages), SESSIONS))
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
