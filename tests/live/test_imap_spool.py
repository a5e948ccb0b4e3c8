"""--spool keeps IMAP state: folders, flags, UIDs, UIDVALIDITY and subscriptions survive a restart
(SIGTERM, then kill -9), and a UID is never handed out twice."""
import imaplib
import os
import signal

import live_harness as h

SCENARIO = os.path.join(h.HERE, "imap-world.json")
USER, PASSWORD = "carol@example.test", "carol-pw"


def login(server):
    m = imaplib.IMAP4("127.0.0.1", server.port("mail.example.test", "imap"), timeout=10)
    h.check(m.login(USER, PASSWORD)[0] == "OK", "LOGIN")
    return m


def status(m, folder):
    typ, data = m.status(folder, "(MESSAGES UIDNEXT UIDVALIDITY)")
    h.check(typ == "OK", "STATUS %s answered %s %r" % (folder, typ, data))
    return data[0].decode()


def flags_of(m, folder):
    h.check(m.select(folder)[0] == "OK", "SELECT " + folder)
    typ, data = m.uid("FETCH", "1:*", "(FLAGS)")
    return b" ".join(d for d in data if d).decode()


def first_run(server):
    m = login(server)
    h.check(m.create("Projects/Mail")[0] == "OK", "CREATE")
    h.check(m.subscribe("Projects/Mail")[0] == "OK", "SUBSCRIBE")
    for n in range(3):
        msg = ("Subject: kept %d\r\n\r\nbody %d\r\n" % (n, n)).encode()
        h.check(m.append("Projects/Mail", "(\\Flagged $Kept)", None, msg)[0] == "OK", "APPEND")
    m.select("Projects/Mail")
    m.uid("STORE", "3", "+FLAGS", "(\\Deleted)")
    m.expunge()
    before = status(m, "Projects/Mail")
    m.logout()
    return before


def body(mailsim):
    first = h.live_server(mailsim, SCENARIO)
    spool = os.path.join(first.scratch, "spool")
    first.extra = ["--spool", spool]
    first.start()
    try:
        before = first_run(first)
        h.check(first.stop() == 0, "the first serve did not exit 0")
    finally:
        first.kill()
    second = h.live_server(mailsim, SCENARIO, ["--spool", spool], first.scratch).start()
    try:
        m = login(second)
        after = status(m, "Projects/Mail")
        h.check(after == before, "STATUS after the restart %r, before %r" % (after, before))
        h.check("UIDNEXT 4" in after, "UID 3 would be handed out again: %r" % after)
        flags = flags_of(m, "Projects/Mail")
        h.check(flags.count("\\Flagged") == 2 and flags.count("$Kept") == 2, "flags after the restart: %r" % flags)
        typ, subs = m.lsub()
        h.check(any(b"Projects/Mail" in s for s in subs), "the subscription is gone: %r" % subs)
        h.check(m.append("Projects/Mail", None, None, b"Subject: new\r\n\r\nx\r\n")[0] == "OK", "APPEND")
        m.logout()
        second.proc.send_signal(signal.SIGKILL)
        second.proc.wait(5)
    finally:
        second.kill()
    third = h.live_server(mailsim, SCENARIO, ["--spool", spool], first.scratch).start()
    try:
        m = login(third)
        h.check("MESSAGES 3" in status(m, "Projects/Mail") and "UIDNEXT 5" in status(m, "Projects/Mail"),
                "after kill -9: %r" % status(m, "Projects/Mail"))
        m.logout()
        h.check(third.stop() == 0, "the third serve did not exit 0")
    finally:
        third.kill()


if __name__ == "__main__":
    h.main(body)
