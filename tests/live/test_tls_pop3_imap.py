"""`serve --tls-dir`: POP3 STLS (RFC 2595) and pop3s, IMAP over imaps (RFC 8314).

poplib's stls() and POP3_SSL, `openssl s_client -starttls pop3`, imaplib's
IMAP4_SSL, each verifying against DIR/ca.pem; the ports of the second range.
"""
import os
import poplib
import imaplib
import shutil
import smtplib
import ssl
import subprocess
import tempfile

import live_harness as h


def verifying(ca):
    return ssl.create_default_context(cafile=ca)


# poplib and imaplib check the certificate against the name they connected
# to (127.0.0.1 here): these send and check the host's name instead.
class named_pop3_ssl(poplib.POP3_SSL):
    def __init__(self, name, *args, **kwargs):
        self.name = name
        super().__init__(*args, **kwargs)

    def _create_socket(self, timeout):
        return self.context.wrap_socket(poplib.POP3._create_socket(self, timeout), server_hostname=self.name)


class named_imap4_ssl(imaplib.IMAP4_SSL):
    def __init__(self, name, *args, **kwargs):
        self.name = name
        super().__init__(*args, **kwargs)

    def _create_socket(self, timeout):
        return self.ssl_context.wrap_socket(imaplib.IMAP4._create_socket(self, timeout), server_hostname=self.name)


def body(mailsim):
    scratch = tempfile.mkdtemp(prefix="mailsim-tls-")
    h.SCRATCH.append(scratch)
    tls_dir = os.path.join(scratch, "tls")
    server = h.live_server(mailsim, os.path.join(h.HERE, "tls-world.json"), ["--tls-dir", tls_dir]).start()
    try:
        ca = os.path.join(tls_dir, "ca.pem")
        # mx1.example.org is host 1 in name order: pop3s base+100+4+3, imaps base+100+4+2.
        h.check(server.port("mx1.example.org", "pop3s") == server.base + 107, "pop3s is not on base+107")
        h.check(server.port("mx1.example.org", "imaps") == server.base + 106, "imaps is not on base+106")
        with smtplib.SMTP("127.0.0.1", server.port("mx1.example.org", "smtp"), timeout=10) as s:
            s.sendmail("carol@outside.test", ["bob@example.org"], "Subject: for pop3 over tls\r\n\r\nhi\r\n")
        p = poplib.POP3("127.0.0.1", server.port("mx1.example.org", "pop3"), timeout=10)
        h.check("STLS" in p.capa(), "CAPA lacks STLS")
        p.host = "mx1.example.org"  # the name stls() checks the certificate against
        p.stls(context=verifying(ca))
        h.check("STLS" not in p.capa(), "STLS still listed after TLS")
        p.user("bob@example.org")
        p.pass_("bob-pw")
        h.check(p.stat()[0] == 1, "bob has %d messages, want 1" % p.stat()[0])
        p.quit()
        p = named_pop3_ssl("mx1.example.org", "127.0.0.1", server.port("mx1.example.org", "pop3s"), timeout=10,
                           context=verifying(ca))
        p.user("bob@example.org")
        p.pass_("bob-pw")
        h.check(p.stat()[0] == 1, "pop3s: bob has %d messages" % p.stat()[0])
        p.quit()
        m = named_imap4_ssl("mx1.example.org", "127.0.0.1", server.port("mx1.example.org", "imaps"), timeout=10,
                            ssl_context=verifying(ca))
        m.login("bob@example.org", "bob-pw")
        typ, data = m.select("INBOX")
        h.check(typ == "OK" and data[0] == b"1", "imaps SELECT INBOX: %r %r" % (typ, data))
        m.logout()
        openssl = shutil.which("openssl")
        if openssl:
            run = subprocess.run(
                [openssl, "s_client", "-starttls", "pop3", "-connect",
                 "127.0.0.1:%d" % server.port("mx1.example.org", "pop3"), "-CAfile", ca, "-verify_return_error",
                 "-verify_hostname", "mx1.example.org", "-servername", "mx1.example.org", "-brief"],
                input="QUIT\r\n", capture_output=True, text=True, timeout=20)
            both = run.stdout + run.stderr
            h.check(run.returncode == 0 and "Verification: OK" in both, "openssl s_client -starttls pop3:\n" + both)
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
