"""A queue file damaged on disk while serve was down: the next serve moves it to corrupt/, says so on stderr and in
its start-up line, and never silently forgets the acknowledged message."""
import os
import smtplib

import live_harness as h

SCENARIO = os.path.join(h.HERE, "spool-world.json")  # mx1 refuses for 4 s: relayed mail waits in a queue


def body(mailsim):
    first = h.live_server(mailsim, SCENARIO)
    spool = os.path.join(first.scratch, "spool")
    first.extra = ["--spool", spool]
    first.start()
    try:
        with smtplib.SMTP("127.0.0.1", first.port("mail.sender.test", "submission"), timeout=10) as client:
            client.login("alice@sender.test", "alice-pw")
            client.sendmail("alice@sender.test", ["bob@example.org"], "Subject: damaged\r\n\r\nOne byte will change.\r\n")
        # A clean stop: the spool's journal is then empty, so the file on disk is all there is (after a
        # kill, the next serve would replay the journal over the damage and repair it).
        h.check(first.stop() == 0, "the first serve did not exit 0")
    finally:
        first.kill()
    queue = os.path.join(spool, "mail.sender.test", "spool", "queue")
    names = os.listdir(queue)
    h.check(len(names) == 1, "want one queue file, found %r" % names)
    path = os.path.join(queue, names[0])
    data = bytearray(open(path, "rb").read())
    data[-4] ^= 0x20  # one changed byte of the message
    open(path, "wb").write(bytes(data))

    second = h.live_server(mailsim, SCENARIO, ["--spool", spool], first.scratch).start()
    try:
        h.check(second.wait_for_output(r"host restarted; 0 queued message\(s\) found on disk; "
                                       r"1 damaged queue file\(s\) moved to corrupt/", 10),
                "the start-up line does not count the damaged file:\n" + second.output())
        out = second.output()
        h.check("mailsim serve: warning: mail.sender.test: WARNING: damaged queue file queue/%s" % names[0] in out,
                "no warning on stderr:\n" + out)
        h.check(second.stop() == 0, "serve did not exit 0")
    finally:
        second.kill()
    moved = os.path.join(spool, "mail.sender.test", "spool", "corrupt", "queue", names[0])
    h.check(os.path.isfile(moved) and open(moved, "rb").read() == bytes(data), "the damaged file was not kept in corrupt/")
    h.check(os.listdir(queue) == [], "the damaged file is still in the queue")


if __name__ == "__main__":
    h.main(body)
