"""`serve --tls-dir`: SMTP over TLS with real clients, verified against DIR/ca.pem.

Python's smtplib (starttls() and SMTP_SSL), swaks --tls and --tlsc, and
`openssl s_client -starttls smtp`; AUTH and MAIL refused in the clear where
TLS is required; the Received field of a message that came over TLS; SNI;
TLS 1.1 refused; a stalled handshake leaves other sessions alone.
"""
import base64
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile
import warnings

import live_harness as h


def verifying(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = True
    return ctx


def starttls(s, ca, name):
    """smtplib checks the certificate against the name it connected to (127.0.0.1
    here): give it the host's name for the handshake (SNI and hostname check)."""
    s._host = name
    return s.starttls(context=verifying(ca))


class named_smtp_ssl(smtplib.SMTP_SSL):
    """SMTP_SSL to 127.0.0.1 that sends and checks the host name `name`."""

    def __init__(self, name, *args, **kwargs):
        self.name = name
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):
        self._host = self.name
        return super()._get_socket(host, port, timeout)


def starttls_on_mx(server, ca):
    port = server.port("mx1.example.org", "smtp")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="outside.test", timeout=10) as s:
        s.ehlo()
        h.check(s.has_extn("starttls"), "mx1 does not advertise STARTTLS: %r" % s.esmtp_features)
        code, _ = starttls(s, ca, "mx1.example.org")
        h.check(code == 220, "STARTTLS answered %d" % code)
        s.ehlo()
        h.check(not s.has_extn("starttls"), "STARTTLS offered again after TLS")
        s.sendmail("carol@outside.test", ["bob@example.org"], "Subject: over starttls\r\n\r\nsecret\r\n")
    messages = h.pop3_messages(server.port("mx1.example.org", "pop3"), "bob@example.org", "bob-pw", 1)
    received = messages[0].split(b"\r\n\r\n")[0].replace(b"\r\n\t", b" ")
    h.check(b"with ESMTPS id" in received, "no ESMTPS in Received:\n%r" % received)
    h.check(b"(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))" in received,
            "no TLS comment in Received:\n%r" % received)


def required_on_submission(server, ca):
    port = server.port("mail.sender.test", "submission")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="alice.test", timeout=10) as s:
        s.ehlo()
        h.check(not s.has_extn("auth"), "AUTH advertised before TLS: %r" % s.esmtp_features)
        plain = base64.b64encode(b"\0alice@sender.test\0alice-pw").decode()
        code, text = s.docmd("AUTH", "PLAIN " + plain)
        h.check(code == 538 and text.startswith(b"5.7.11"), "plaintext AUTH got %d %r" % (code, text))
        code, text = s.docmd("MAIL", "FROM:<alice@sender.test>")
        h.check(code == 530 and b"Must issue a STARTTLS command first" in text, "MAIL in the clear got %d %r" % (code, text))
        starttls(s, ca, "mail.sender.test")
        s.ehlo()
        h.check(s.has_extn("auth"), "AUTH not advertised after TLS")
        s.login("alice@sender.test", "alice-pw")
        s.sendmail("alice@sender.test", ["bob@example.org"], "Subject: submitted over tls\r\n\r\nhi\r\n")


def implicit_tls(server, ca):
    port = server.port("mail.sender.test", "smtps")
    h.check(port == server.base + 100 + 1, "smtps of host 0 is on %d, want base+101" % port)
    with named_smtp_ssl("mail.sender.test", "127.0.0.1", port, local_hostname="alice.test", timeout=10,
                        context=verifying(ca)) as s:
        s.ehlo()
        h.check(not s.has_extn("starttls"), "STARTTLS offered on smtps")
        s.login("alice@sender.test", "alice-pw")
        s.sendmail("alice@sender.test", ["bob@example.org"], "Subject: over smtps\r\n\r\nhi\r\n")


def sni_and_versions(server, ca):
    port = server.port("mx1.example.org", "smtp")
    # SNI picks the certificate: mail.sender.test's, on mx1's port.
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = raw.makefile("rb")
    f.readline()
    raw.sendall(b"EHLO sni.test\r\n")
    while not f.readline().startswith(b"250 "):
        pass
    raw.sendall(b"STARTTLS\r\n")
    h.check(f.readline().startswith(b"220 2.0.0"), "no 220 to STARTTLS")
    tls = verifying(ca).wrap_socket(raw, server_hostname="mail.sender.test")
    cert = tls.getpeercert()
    names = [v for k, v in cert.get("subjectAltName", ()) if k == "DNS"]
    h.check(names == ["mail.sender.test"], "SNI did not choose the certificate: %r" % names)
    tls.close()
    # TLS 1.1 is refused (RFC 8996).
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(ca)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLSv1_1 is deprecated: that is the point
        old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        old.maximum_version = ssl.TLSVersion.TLSv1_1
    try:
        old.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        pass
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.ehlo()
            s._host = "mx1.example.org"
            s.starttls(context=old)
        h.fail("a TLS 1.1 handshake succeeded")
    except (ssl.SSLError, smtplib.SMTPServerDisconnected, ConnectionError):
        pass


def stalled_handshake(server, ca):
    # A client that says STARTTLS and never starts its handshake holds only
    # its own session: another client is served meanwhile.
    port = server.port("mx1.example.org", "smtp")
    stalled = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = stalled.makefile("rb")
    f.readline()
    stalled.sendall(b"EHLO stall.test\r\nSTARTTLS\r\n")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        starttls(s, ca, "mx1.example.org")
        h.check(s.noop()[0] == 250, "NOOP after TLS failed while another handshake stalled")
    stalled.close()


def swaks_and_openssl(server, ca):
    swaks = shutil.which("swaks")
    if swaks:
        for flag, service in (("--tls", "submission"), ("--tlsc", "smtps")):
            run = subprocess.run(
                [swaks, "--server", "127.0.0.1:%d" % server.port("mail.sender.test", service), flag,
                 "--tls-verify", "--tls-ca-path", ca, "--tls-sni", "mail.sender.test", "--timeout", "10",
                 "--auth", "PLAIN", "--auth-user", "alice@sender.test", "--auth-password", "alice-pw",
                 "--from", "alice@sender.test", "--to", "bob@example.org", "--header", "Subject: swaks " + flag],
                capture_output=True, text=True, timeout=20)
            h.check(run.returncode == 0, "swaks %s exited with %d:\n%s%s" % (flag, run.returncode, run.stdout, run.stderr))
    openssl = shutil.which("openssl")
    if openssl:
        run = subprocess.run(
            [openssl, "s_client", "-starttls", "smtp", "-connect", "127.0.0.1:%d" % server.port("mx1.example.org", "smtp"),
             "-CAfile", ca, "-verify_return_error", "-verify_hostname", "mx1.example.org",
             "-servername", "mx1.example.org", "-brief"],
            input="QUIT\r\n", capture_output=True, text=True, timeout=20)
        both = run.stdout + run.stderr
        h.check(run.returncode == 0 and "Verification: OK" in both, "openssl s_client -starttls smtp:\n" + both)


def body(mailsim):
    scratch = tempfile.mkdtemp(prefix="mailsim-tls-")
    h.SCRATCH.append(scratch)
    tls_dir = os.path.join(scratch, "tls")
    server = h.live_server(mailsim, os.path.join(h.HERE, "tls-world.json"), ["--tls-dir", tls_dir]).start()
    try:
        ca = os.path.join(tls_dir, "ca.pem")
        h.check(os.path.exists(ca), "no ca.pem in --tls-dir")
        h.check(oct(os.stat(os.path.join(tls_dir, "ca.key")).st_mode & 0o777) == "0o600", "ca.key is not 0600")
        starttls_on_mx(server, ca)
        required_on_submission(server, ca)
        implicit_tls(server, ca)
        sni_and_versions(server, ca)
        stalled_handshake(server, ca)
        swaks_and_openssl(server, ca)
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()
    # The same folder again: the CA is reused, not made anew.
    before = open(os.path.join(tls_dir, "ca.pem")).read()
    again = h.live_server(mailsim, os.path.join(h.HERE, "tls-world.json"), ["--tls-dir", tls_dir]).start()
    try:
        h.check(open(os.path.join(tls_dir, "ca.pem")).read() == before, "the CA was made again")
        with smtplib.SMTP("127.0.0.1", again.port("mx1.example.org", "smtp"), timeout=10) as s:
            starttls(s, os.path.join(tls_dir, "ca.pem"), "mx1.example.org")
            h.check(s.noop()[0] == 250, "no NOOP over TLS with the reused certificates")
    finally:
        again.kill()


if __name__ == "__main__":
    h.main(body)
