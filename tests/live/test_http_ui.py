"""`mailsim serve --http`: the web UI in headless Chromium against the live world.

A message smtplib sends appears in the page, its `<script>` subject shown
as text (nothing injected, nothing ran); a fault typed into the page makes
the next smtplib send fail with the fault's code, and the page's heal
button restores delivery.  Chromium is driven as in tests/sim/http/browser_test.py.
Exit status 77 (skipped) when no headless Chromium is installed.
"""
import os
import shutil
import smtplib
import sys
import tempfile

import live_harness as h

sys.path.insert(0, os.path.join(h.HERE, "..", "sim", "http"))
from browser_test import BROWSERS, browser, click, set_field  # noqa: E402

BOB = "bob@example.org"
SUBJECT = "<script>document.body.setAttribute('data-pwned','subject')</script> live"


def smtp_send(port, subject):
    message = "From: carol@outside.test\r\nTo: %s\r\nSubject: %s\r\n\r\nHello Bob.\r\n" % (BOB, subject)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("workstation.test")
        return client.sendmail("carol@outside.test", [BOB], message)


def message_shows(b, base, port, out):
    b.open(base + "/#messages")
    boxes = b.wait("[...document.querySelectorAll('#mailboxes li[data-address]')].map(li => li.dataset.address)"
                   ".includes('bob@example.org')")
    h.check(boxes, "the page lists no mailbox of bob")
    h.check(smtp_send(port, SUBJECT) == {}, "smtplib's message was refused")
    b.eval("location.hash = '#messages/bob%40example.org'")
    listed = b.wait("document.querySelector('#messages li[data-id] .subject') &&"
                    " document.querySelector('#messages li[data-id] .subject').textContent", timeout=15)
    h.check(listed == SUBJECT, "the message smtplib sent is not listed as text: %r" % listed)
    click(b, "#messages li[data-id]")
    subject = b.wait("document.getElementById('message-subject') && document.getElementById('message-subject').textContent")
    h.check(subject == SUBJECT, "the message's subject shows as %r" % subject)
    state = b.eval("({scripts: document.querySelectorAll('script').length, pwned: document.body.getAttribute('data-pwned')})")
    h.check(state == {"scripts": 1, "pwned": None}, "the subject became markup or ran: %r" % state)
    h.check("&lt;script&gt;document.body" in b.eval("document.documentElement.outerHTML"), "the DOM holds no escaped subject")
    b.screenshot(os.path.join(out, "live-message.png"))


def fault_from_page(b, port, out):
    b.eval("location.hash = '#hosts'")
    h.check(b.wait("document.querySelectorAll('#hosts tr[data-host]').length") == 2, "the hosts table")
    for field, value in (("fault-kind", "reply"), ("fault-host", "mx1.example.org"), ("fault-phase", "rcpt"),
                         ("fault-code", "550"), ("fault-enhanced", "5.7.1"), ("fault-text", "Refused from the page")):
        set_field(b, field, value)
    click(b, "#fault-apply")
    note = b.wait("document.querySelector('#fault-note .note') && document.querySelector('#fault-note .note').textContent")
    h.check(note == "Fault applied.", "the page says %r" % note)
    b.screenshot(os.path.join(out, "live-fault.png"))
    try:
        smtp_send(port, "during the page's fault")
        h.fail("a send during the fault injected from the page was accepted")
    except smtplib.SMTPRecipientsRefused as e:
        h.check(e.recipients[BOB][0] == 550 and b"Refused from the page" in e.recipients[BOB][1],
                "during the page's fault smtplib got %r" % e.recipients)
    click(b, "#hosts button.heal[data-host=\"mx1.example.org\"]")
    healed = b.wait("(() => { const n = document.querySelector('#fault-note .note.ok');"
                    " return n && n.textContent.startsWith('Healed') && n.textContent; })()")
    h.check(healed == "Healed mx1.example.org.", "the page says %r after heal" % healed)
    h.check(smtp_send(port, "after the page's heal") == {}, "a send after the heal was refused")


def body(mailsim):
    exe = next((shutil.which(n) for n in BROWSERS if shutil.which(n)), None)
    if not exe:
        h.skip("no headless Chromium (Debian package chromium-headless-shell or chromium)")
    work = tempfile.mkdtemp(prefix="mailsim-ui-")
    h.SCRATCH.append(work)
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json"), ["--http", "127.0.0.1:0"]).start()
    b = None
    try:
        base = "http://127.0.0.1:%d" % server.port("-", "http")
        port = server.port("mx1.example.org", "smtp")
        b = browser(exe, work)
        message_shows(b, base, port, work)
        fault_from_page(b, port, work)
        thrown = [e["params"]["exceptionDetails"] for e in b.events if e.get("method") == "Runtime.exceptionThrown"]
        h.check(not thrown, "the page threw: %r" % thrown)
        h.check(server.stop() == 0, "serve did not exit 0")
    finally:
        if b:
            b.close()
        server.kill()


if __name__ == "__main__":
    h.main(body)
