"""Python's imaplib against `mailsim serve`: login, list, select, append, search, fetch, store,
copy, move, expunge, and IDLE woken by mail delivered over SMTP on a second connection."""
import email
import os
import smtplib
import socket
import time

import imaplib

import live_harness as h

USER, PASSWORD = "carol@example.test", "carol-pw"
MESSAGE = (b"From: Alice <alice@example.test>\r\nTo: Carol <carol@example.test>\r\n"
           b"Subject: appended by imaplib\r\nDate: Mon, 05 Jan 2026 09:00:00 +0000\r\n"
           b"Message-ID: <append@workstation.test>\r\n\r\nHello Carol.\r\n")


def ok(result, what):
    typ, data = result
    h.check(typ == "OK", "%s answered %s %r" % (what, typ, data))
    return data


def listing(m):
    names = {}
    for line in ok(m.list(), "LIST"):
        text = line.decode()
        attrs, name = text[text.index("(") + 1:text.index(")")], text.rsplit(" ", 1)[1].strip('"')
        names[name] = attrs
    return names


def mailbox_work(m):
    names = listing(m)
    for folder, use in (("INBOX", None), ("Junk", "\\Junk"), ("Sent", "\\Sent"), ("Trash", "\\Trash")):
        h.check(folder in names, "LIST has no %s: %r" % (folder, names))
        if use:
            h.check(use in names[folder], "%s lacks %s: %r" % (folder, use, names[folder]))
    ok(m.append("INBOX", None, None, MESSAGE), "APPEND")
    count = int(ok(m.select("INBOX"), "SELECT")[0])
    h.check(count == 1, "INBOX holds %d messages after APPEND, want 1" % count)
    h.check(ok(m.search(None, "UNSEEN"), "SEARCH UNSEEN")[0] == b"1", "SEARCH UNSEEN did not find 1")
    h.check(ok(m.search(None, "SUBJECT", '"appended"'), "SEARCH SUBJECT")[0] == b"1", "SEARCH SUBJECT")
    data = ok(m.fetch("1", "(BODY.PEEK[] FLAGS)"), "FETCH")
    h.check(data[0][1] == MESSAGE, "FETCH BODY[] differs: %r" % data[0][1])
    ok(m.store("1", "+FLAGS", "(\\Flagged $Work)"), "STORE")
    flags = ok(m.fetch("1", "(FLAGS)"), "FETCH FLAGS")[0].decode()
    h.check("\\Flagged" in flags and "$Work" in flags, "flags after STORE: %r" % flags)
    envelope = ok(m.fetch("1", "(ENVELOPE BODYSTRUCTURE)"), "FETCH ENVELOPE")[0].decode()
    h.check('"appended by imaplib"' in envelope and '"TEXT" "PLAIN"' in envelope.upper(), "ENVELOPE: %r" % envelope)
    ok(m.create("Work"), "CREATE")
    ok(m.copy("1", "Work"), "COPY")
    ok(m._simple_command("MOVE", "1", "Junk"), "MOVE")
    h.check(int(ok(m.select("INBOX"), "SELECT")[0]) == 0, "INBOX not empty after MOVE")
    status = ok(m.status("Junk", "(MESSAGES UIDNEXT)"), "STATUS")[0].decode()
    h.check("MESSAGES 1" in status, "STATUS Junk: %r" % status)
    h.check(int(ok(m.select("Work"), "SELECT Work")[0]) == 1, "Work does not hold the copy")
    ok(m.store("1", "+FLAGS", "(\\Deleted)"), "STORE \\Deleted")
    ok(m.expunge(), "EXPUNGE")
    h.check(int(ok(m.select("Work"), "SELECT Work")[0]) == 0, "Work not empty after EXPUNGE")
    ok(m.delete("Work"), "DELETE")
    h.check("Work" not in listing(m), "Work still listed after DELETE")
    typ, _ = m.select("No/Such")
    h.check(typ == "NO", "SELECT of a missing folder answered %s" % typ)


def deliver(port):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("workstation.test")
        refused = client.sendmail("alice@example.test", [USER],
                                  "From: alice@example.test\r\nTo: carol@example.test\r\nSubject: while idling\r\n\r\nhi\r\n")
        h.check(refused == {}, "recipients refused: %r" % refused)


def idle(imap_port, smtp_port):
    """RFC 2177: the idling session hears * 1 EXISTS when SMTP delivers on another connection."""
    m = imaplib.IMAP4("127.0.0.1", imap_port, timeout=10)
    try:
        ok(m.login(USER, PASSWORD), "LOGIN")
        h.check(int(ok(m.select("INBOX"), "SELECT")[0]) == 0, "INBOX not empty before IDLE")
        m.send(b"i1 IDLE\r\n")
        line = m.readline()
        h.check(line.startswith(b"+"), "IDLE answered %r" % line)
        deliver(smtp_port)
        deadline = time.monotonic() + 10
        heard = b""
        while b"EXISTS" not in heard and time.monotonic() < deadline:
            heard = m.readline()
        h.check(heard.strip() == b"* 1 EXISTS", "while idling heard %r" % heard)
        m.send(b"DONE\r\n")
        line = m.readline()
        while line.startswith(b"*"):
            line = m.readline()
        h.check(line.startswith(b"i1 OK"), "IDLE ended with %r" % line)
        data = ok(m.fetch("1", "(RFC822)"), "FETCH")
        h.check(email.message_from_bytes(data[0][1])["Subject"] == "while idling", "the idle-woken message")
        h.check(m.logout()[0] == "BYE", "LOGOUT")
    finally:
        try:
            m.shutdown()
        except OSError:
            pass


def body(mailsim):
    server = h.live_server(mailsim, os.path.join(h.HERE, "imap-world.json")).start()
    try:
        imap_port = server.port("mail.example.test", "imap")
        h.check(imap_port == server.base + 100, "imap listens on %d, want base+100 = %d" % (imap_port, server.base + 100))
        m = imaplib.IMAP4("127.0.0.1", imap_port, timeout=10)
        h.check("IDLE" in m.capabilities and "MOVE" in m.capabilities, "capabilities %r" % (m.capabilities,))
        try:
            m.login(USER, "wrong")
            h.fail("a wrong password was accepted")
        except imaplib.IMAP4.error:
            pass
        ok(m.login(USER, PASSWORD), "LOGIN")
        mailbox_work(m)
        m.logout()
        idle(imap_port, server.port("mail.example.test", "smtp"))
        # A session left open hears BYE when the server shuts down.
        s = socket.create_connection(("127.0.0.1", imap_port), timeout=10)
        greeting = s.makefile("rb").readline()
        h.check(greeting.startswith(b"* OK"), "greeting %r" % greeting)
        status = server.stop()
        rest = s.recv(4096)
        s.close()
        h.check(rest.startswith(b"* BYE mail.example.test is shutting down"), "at shutdown the client got %r" % rest)
        h.check(status == 0, "serve exited with %d" % status)
        out = server.output()
        h.check("listen mail.example.test imap " in out, "serve did not list imap")
        h.check(" SELECT INBOX" in out and "<<< * 1 EXISTS" in out, "the narrated trace shows no IMAP dialogue")
        h.check(PASSWORD not in out, "the narrated trace shows carol's password")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
