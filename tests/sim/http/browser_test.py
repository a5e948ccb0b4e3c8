#!/usr/bin/env python3
"""The web UI in Debian's headless Chromium, against the HTTP fixture.

    browser_test.py FIXTURE ARTEFACT_DIR

Chromium is driven over its DevTools pipe (--remote-debugging-pipe, file
descriptors 3 and 4, standard library only), so that the test can wait for
what the page fetches and streams, click, and read the DOM:
  - the mailbox list renders (the page's script ran under its CSP);
  - a message whose subject and From hold markup shows them as text: no
    element was injected, nothing ran (the DOM is saved as ARTEFACT_DIR/message.html);
  - the HTML preview is an iframe with sandbox="" and srcdoc: its own script
    did not run, its remote image was not fetched, its text rendered;
  - the raw source, the live trace (Server-Sent Events: a message sent
    during the test appears), the queue;
  - a fault typed into the page's form is applied (checked through the API)
    and healed from the page;
  - nothing was requested outside the server, and the page threw nothing.
Screenshots go to ARTEFACT_DIR/ui-*.png.  Exit status 77 (skipped) when no
headless Chromium is installed.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_fixture import fail, fixture, skip  # noqa: E402

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1400,900"]

failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + str(detail)[:400]), flush=True)
    if not ok:
        failures.append(what)


class browser:
    """Chromium with its DevTools protocol on a pipe: JSON messages ended by NUL."""

    def __init__(self, exe, work):
        self.profile = tempfile.mkdtemp(prefix="profile-", dir=work)
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        cmd = [exe] + FLAGS + ["--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"]
        # The shell puts the pipes where Chromium expects them: 3 to read, 4 to write.
        self.proc = subprocess.Popen(["/bin/sh", "-c", 'exec "$@" 3<&%d 4>&%d' % (to_browser_r, from_browser_w), "sh"] + cmd,
                                     pass_fds=(to_browser_r, from_browser_w), stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(work, "chromium.log"), "w"))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.pending = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True, timeout=20):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for reply in self.drain(deadline):
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                    return reply.get("result", {})

    def drain(self, deadline):
        while b"\0" not in self.pending:
            ready, _, _ = select.select([self.from_browser], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium went away")
            self.pending += chunk
        out = []
        while b"\0" in self.pending:
            raw, self.pending = self.pending.split(b"\0", 1)
            message = json.loads(raw)
            if "id" not in message:
                self.events.append(message)
            out.append(message)
        return out

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable")
        self.send("Page.navigate", {"url": url})

    def eval(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(expression + ": " + json.dumps(result["exceptionDetails"])[:300])
        return result["result"].get("value")

    def wait(self, expression, timeout=10):
        """The first truthy value of `expression`, polled; None after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.1)
        return None

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def click(b, selector):
    return b.eval("(() => { const e = document.querySelector(%s); if (!e) return false; e.click(); return true; })()"
                  % json.dumps(selector))


def set_field(b, element_id, value):
    b.eval("(() => { const e = document.getElementById(%s); e.value = %s; e.dispatchEvent(new Event('change')); })()"
           % (json.dumps(element_id), json.dumps(value)))


def test_messages(b, s, out):
    b.open(s.base + "/#messages")
    boxes = b.wait("document.querySelectorAll('#mailboxes li[data-address]').length >= 3 && "
                   "[...document.querySelectorAll('#mailboxes li[data-address]')].map(li => li.dataset.address)")
    check("the mailbox list renders", boxes == ["alice@sender.test", "bob@example.org", "carol@example.org"], boxes)
    b.screenshot(os.path.join(out, "ui-mailboxes.png"))
    b.eval("location.hash = '#messages/bob%40example.org/m1'")
    subject = b.wait("document.getElementById('message-subject') && document.getElementById('message-subject').textContent")
    check("a subject holding <script> shows as text", subject == "<script>document.body.setAttribute('data-pwned','subject')</script>",
          subject)
    listed = b.eval("document.querySelector('#messages li[data-id=\"m1\"] .subject').textContent")
    check("so does its entry in the list", listed == subject, listed)
    state = b.eval("({scripts: document.querySelectorAll('script').length, images: document.querySelectorAll('img').length,"
                   " pwned: document.body.getAttribute('data-pwned'), title: document.title,"
                   " from: document.querySelector('#message .meta .small').textContent})")
    check("nothing from the message became an element or ran",
          state["scripts"] == 1 and state["images"] == 0 and state["pwned"] is None and state["title"] == "mailsim", state)
    check("the From field with markup shows as text", state["from"].startswith('From: "<img src=x onerror='), state["from"])
    dom = b.eval("document.documentElement.outerHTML")
    with open(os.path.join(out, "message.html"), "w") as f:
        f.write(dom)
    check("the serialized DOM holds the escaped subject", "&lt;script&gt;document.body.setAttribute" in dom)
    text = b.wait("document.getElementById('message-text') && document.getElementById('message-text').textContent")
    check("the text part, markup shown as text", text and text.startswith("Hello Bob, <b>this is not bold</b>."), text)


def test_preview(b, out):
    click(b, "#message .tabs button:nth-child(2)")
    frame = b.wait("(() => { const f = document.getElementById('message-html');"
                   " return f && {sandbox: f.getAttribute('sandbox'), srcdoc: f.srcdoc, reachable: f.contentDocument !== null}; })()")
    check("the HTML preview is an iframe with sandbox=\"\"", frame and frame["sandbox"] == "", frame)
    check("it gets the HTML through srcdoc", frame and "<p id=\"inside\"" in frame["srcdoc"], frame)
    check("the page cannot reach into it (opaque origin)", frame and frame["reachable"] is False, frame)
    time.sleep(0.5)
    state = b.eval("({pwned: document.body.getAttribute('data-pwned'), title: document.title})")
    check("the preview's script did not run", state == {"pwned": None, "title": "mailsim"}, state)
    tree = b.send("Page.getFrameTree")["frameTree"]
    children = tree.get("childFrames", [])
    inside = None
    if children:
        world = b.send("Page.createIsolatedWorld", {"frameId": children[0]["frame"]["id"], "worldName": "probe"})
        probe = b.send("Runtime.evaluate", {"contextId": world["executionContextId"], "returnByValue": True,
                                            "expression": "({text: document.getElementById('inside').textContent,"
                                                          " image: document.images[0].naturalWidth})"})
        inside = probe["result"].get("value")
    check("the preview rendered the message's HTML", inside and inside["text"] == "Hello Bob from inside the frame.", inside)
    check("its remote image was not fetched", inside and inside["image"] == 0, inside)
    b.screenshot(os.path.join(out, "ui-html-preview.png"))
    click(b, "#message .tabs button:nth-child(5)")
    raw = b.wait("(() => { const r = document.getElementById('message-raw');"
                 " return r && r.textContent.startsWith('Return-Path') && r.textContent; })()")
    check("the raw source", raw and "Subject: <script>" in raw, (raw or "")[:120])


def test_trace(b, s, out):
    b.eval("location.hash = '#trace'")
    first = b.wait("document.querySelector('#trace-rows tr[data-seq=\"0\"] td:nth-child(5)') &&"
                   " document.querySelector('#trace-rows tr[data-seq=\"0\"] td:nth-child(5)').textContent")
    check("the trace view streams the past events", first == "sim.start", first)
    status, sent = s.api("POST", "/api/v1/send", {"from": "alice@sender.test", "to": ["carol@example.org"], "subject": "seen live"})
    check("a send during the test", status == 202, sent)
    live = b.wait("[...document.querySelectorAll('#trace-rows td.details')].some(td => td.textContent.includes('seen live'))")
    check("a new event appears in the trace as it happens (SSE)", live)
    b.screenshot(os.path.join(out, "ui-trace.png"))
    s.api("POST", "/api/v1/send", {"from": "alice@sender.test", "to": ["dave@elsewhere.test"], "subject": "stuck"})
    b.eval("location.hash = '#queues'")
    queued = b.wait("document.querySelector('#queues [data-host=\"mail.sender.test\"] tr[data-queue-id]') &&"
                    " document.querySelector('#queues [data-host=\"mail.sender.test\"] tr[data-queue-id]').textContent")
    check("the queue view lists the waiting message", queued and "dave@elsewhere.test" in queued and "deferred" in queued, queued)
    b.screenshot(os.path.join(out, "ui-queues.png"))


def test_faults(b, s, out):
    b.eval("location.hash = '#hosts'")
    rows = b.wait("document.querySelectorAll('#hosts tr[data-host]').length")
    check("the hosts table renders", rows == 3, rows)
    set_field(b, "fault-kind", "reply")
    set_field(b, "fault-host", "mx1.example.org")
    set_field(b, "fault-phase", "rcpt")
    set_field(b, "fault-code", "550")
    set_field(b, "fault-enhanced", "5.7.1")
    set_field(b, "fault-text", "Refused from the web UI")
    written = json.loads(b.eval("document.getElementById('fault-json').value"))
    check("the form writes the fault object", written == {"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 550,
                                                          "enhanced": "5.7.1", "text": "Refused from the web UI"}, written)
    click(b, "#fault-apply")
    note = b.wait("document.querySelector('#fault-note .note') && document.querySelector('#fault-note .note').textContent")
    check("the page says the fault was applied", note == "Fault applied.", note)
    _, hosts = s.api("GET", "/api/v1/hosts")
    check("the world has the fault the page injected", hosts[2]["faults"] == [written], hosts[2]["faults"])
    shown = b.wait("document.querySelector('#hosts tr[data-host=\"mx1.example.org\"] code.fault') &&"
                   " document.querySelector('#hosts tr[data-host=\"mx1.example.org\"] code.fault').textContent")
    check("the hosts table shows it", shown and '"code":550' in shown, shown)
    b.screenshot(os.path.join(out, "ui-faults.png"))
    set_field(b, "fault-json", '{"host": "mx1.example.org", "kind": "explode"}')
    click(b, "#fault-apply")
    refused = b.wait("document.querySelector('#fault-note .note.err') && document.querySelector('#fault-note .note.err').textContent")
    check("a refused fault shows the world's reason", refused == '/kind: "explode" is not a fault kind', refused)
    click(b, "#hosts button.heal[data-host=\"mx1.example.org\"]")
    healed = b.wait("document.querySelector('#fault-note .note.ok') && document.querySelector('#fault-note .note.ok').textContent")
    _, hosts = s.api("GET", "/api/v1/hosts")
    check("healed from the page", healed == "Healed mx1.example.org." and hosts[2]["faults"] == [], (healed, hosts[2]["faults"]))


def test_tools(b, out):
    b.eval("location.hash = '#tools'")
    b.wait("document.getElementById('send-json').value")
    set_field(b, "send-json", json.dumps({"from": "alice@sender.test", "to": ["bob@example.org"], "subject": "from the tools"}))
    click(b, "#send")
    sent = b.wait("document.querySelector('#send-note .note') && document.querySelector('#send-note .note').textContent")
    check("send from the page", sent and sent.startswith("Submitted <"), sent)
    set_field(b, "expect-json", json.dumps([{"delivered": {"to": "bob@example.org"}}]))
    click(b, "#expect")
    lines = b.wait("document.getElementById('expect-out').textContent")
    check("check expectations from the page", lines and "PASS delivered bob@example.org" in lines and "1 passed, 0 failed" in lines, lines)
    b.screenshot(os.path.join(out, "ui-tools.png"))


def test_hygiene(b, s):
    requested = {e["params"]["response"]["url"] for e in b.events if e.get("method") == "Network.responseReceived"}
    outside = sorted(u for u in requested if not u.startswith(s.base + "/") and not u.startswith("data:"))
    check("nothing was fetched from outside the server", not outside, outside)
    thrown = [e["params"]["exceptionDetails"] for e in b.events if e.get("method") == "Runtime.exceptionThrown"]
    check("the page threw nothing", not thrown, thrown)
    refused = [e["params"]["entry"]["text"] for e in b.events if e.get("method") == "Log.entryAdded"
               and "Content Security Policy" in e["params"]["entry"].get("text", "") and "inline script" in e["params"]["entry"]["text"]
               and "about:srcdoc" not in e["params"]["entry"].get("url", "about:srcdoc")]
    check("the policy never refused the page's own script", not refused, refused)


def main():
    if len(sys.argv) != 3:
        fail("usage: browser_test.py FIXTURE ARTEFACT_DIR")
    exe = next((shutil.which(n) for n in BROWSERS if shutil.which(n)), None)
    if not exe:
        skip("no headless Chromium (Debian package chromium-headless-shell or chromium)")
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="mailsim-browser-")
    s = fixture(sys.argv[1])
    b = browser(exe, work)
    try:
        test_messages(b, s, out)
        test_preview(b, out)
        test_trace(b, s, out)
        test_faults(b, s, out)
        test_tools(b, out)
        test_hygiene(b, s)
    finally:
        b.close()
        s.stop()
    if failures:
        print("kept for inspection: " + work)
        fail("%d checks failed: %s" % (len(failures), ", ".join(failures)))
    shutil.rmtree(work, ignore_errors=True)
    print("PASS: the web UI in Chromium (screenshots in %s)" % out)


if __name__ == "__main__":
    main()
