"""`serve --tls-dir`: IMAP STARTTLS (RFC 9051 6.2.1, RFC 2595) on the plain IMAP port.

imaplib's starttls() verified against DIR/ca.pem, then LOGIN, SELECT and
FETCH of a message delivered over SMTP; `openssl s_client -starttls imap`;
LOGINDISABLED and NO [PRIVACYREQUIRED] where TLS is required; a command
pipelined after STARTTLS in the clear is not executed.
"""
import imaplib
import json
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile

import live_harness as h

SUBJECT = "over imap starttls"


def verifying(ca):
    return ssl.create_default_context(cafile=ca)


def imaplib_starttls(server, ca):
    smtp_port = server.port("mx1.example.org", "smtp")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as s:
        s.sendmail("carol@outside.test", ["bob@example.org"], "Subject: %s\r\n\r\nhello bob\r\n" % SUBJECT)
    m = imaplib.IMAP4("127.0.0.1", server.port("mx1.example.org", "imap"), timeout=10)
    h.check("STARTTLS" in m.capabilities, "CAPABILITY lacks STARTTLS: %r" % (m.capabilities,))
    m.host = "mx1.example.org"  # the name starttls() checks the certificate against
    typ, _ = m.starttls(ssl_context=verifying(ca))
    h.check(typ == "OK", "STARTTLS answered %s" % typ)
    h.check("STARTTLS" not in m.capabilities, "STARTTLS still listed after TLS: %r" % (m.capabilities,))
    h.check(isinstance(m.sock, ssl.SSLSocket) and m.sock.version() is not None, "no TLS after starttls()")
    m.login("bob@example.org", "bob-pw")
    typ, data = m.select("INBOX")
    h.check(typ == "OK" and data[0] == b"1", "SELECT INBOX over TLS: %r %r" % (typ, data))
    typ, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    h.check(typ == "OK" and SUBJECT.encode() in data[0][1], "FETCH over TLS: %r %r" % (typ, data))
    m.logout()


def tls_required(server, ca):
    port = server.port("mail.sender.test", "imap")
    m = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    h.check("LOGINDISABLED" in m.capabilities and "STARTTLS" in m.capabilities,
            "CAPABILITY where TLS is required: %r" % (m.capabilities,))
    h.check("AUTH=PLAIN" not in m.capabilities, "AUTH=PLAIN offered before TLS: %r" % (m.capabilities,))
    try:
        m.login("alice@sender.test", "alice-pw")
        h.fail("LOGIN in the clear succeeded where TLS is required")
    except imaplib.IMAP4.error as e:
        h.check("PRIVACYREQUIRED" in str(e), "LOGIN in the clear refused without PRIVACYREQUIRED: %s" % e)
    m.host = "mail.sender.test"
    m.starttls(ssl_context=verifying(ca))
    h.check("LOGINDISABLED" not in m.capabilities, "LOGINDISABLED after TLS: %r" % (m.capabilities,))
    m.login("alice@sender.test", "alice-pw")
    typ, data = m.select("INBOX")
    h.check(typ == "OK" and data[0] == b"0", "SELECT INBOX after STARTTLS: %r %r" % (typ, data))
    m.logout()


def read_until(f, prefix):
    lines = []
    while True:
        line = f.readline()
        h.check(line, "connection closed; read so far: %r" % lines)
        lines.append(line.decode("ascii", "replace"))
        if line.startswith(prefix):
            return lines


def injection_refused(server, ca):
    """The STARTTLS command injection: LOGIN in the same packet as STARTTLS."""
    raw = socket.create_connection(("127.0.0.1", server.port("mail.sender.test", "imap")), timeout=10)
    f = raw.makefile("rb")
    read_until(f, b"* OK")
    raw.sendall(b"a STARTTLS\r\nb LOGIN alice@sender.test alice-pw\r\n")
    got = read_until(f, b"a ")
    h.check(got[-1].startswith("a OK Begin TLS negotiation now"), "STARTTLS answered %r" % got)
    tls = verifying(ca).wrap_socket(raw, server_hostname="mail.sender.test")
    f = tls.makefile("rb")
    tls.sendall(b"c SELECT INBOX\r\n")
    got = read_until(f, b"c ")
    h.check(got[-1].startswith("c BAD SELECT is not allowed in the not authenticated state"),
            "the LOGIN sent in the clear after STARTTLS was executed: %r" % got)
    tls.sendall(b"d LOGOUT\r\n")
    read_until(f, b"d ")
    tls.close()


def openssl_starttls(server, ca):
    openssl = shutil.which("openssl")
    if not openssl:
        return
    run = subprocess.run(
        [openssl, "s_client", "-starttls", "imap", "-connect", "127.0.0.1:%d" % server.port("mx1.example.org", "imap"),
         "-CAfile", ca, "-verify_return_error", "-verify_hostname", "mx1.example.org",
         "-servername", "mx1.example.org", "-brief", "-ign_eof"],
        input="z LOGOUT\r\n", capture_output=True, text=True, timeout=20)
    both = run.stdout + run.stderr
    h.check(run.returncode == 0 and "Verification: OK" in both, "openssl s_client -starttls imap:\n" + both)
    # (-ign_eof: s_client waits for the server to close after LOGOUT.)
    h.check("z OK LOGOUT completed" in both, "no LOGOUT over TLS from s_client:\n" + both)


def body(mailsim):
    scratch = tempfile.mkdtemp(prefix="mailsim-tls-imap-")
    h.SCRATCH.append(scratch)
    tls_dir = os.path.join(scratch, "tls")
    trace = os.path.join(scratch, "trace.jsonl")
    server = h.live_server(mailsim, os.path.join(h.HERE, "tls-imap-world.json"),
                           ["--tls-dir", tls_dir, "--trace", trace]).start()
    try:
        ca = os.path.join(tls_dir, "ca.pem")
        imaplib_starttls(server, ca)
        tls_required(server, ca)
        injection_refused(server, ca)
        openssl_starttls(server, ca)
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
        with open(trace) as f:
            events = [json.loads(line) for line in f if line.strip()]
        handshakes = [e for e in events if e.get("event") == "tls.handshake" and e.get("agent") == "imap"]
        want = 4 if shutil.which("openssl") else 3
        h.check(len(handshakes) == want, "%d imap tls.handshake events, want %d" % (len(handshakes), want))
        h.check(not any(e.get("event") == "imap.command" and " LOGIN alice" in e.get("line", "") and
                        e.get("line", "").startswith("b ") for e in events),
                "the LOGIN injected after STARTTLS reached the server's command trace")
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
