"""Starts `mailsim serve` for one live-mode test and stops it again.

Standard library only.  Every test runs on loopback, picks a port base
whose 200 ports are free (so that `ctest -j` can run tests side by side),
and is bounded in time: the server is killed in a `finally` whatever
happens.
"""
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LISTEN_LINE = re.compile(r"^listen (\S+) (\S+) (\S+):(\d+)$")


# Scratch folders of this test: removed when it passes, kept (and named) when it fails.
SCRATCH = []


def fail(message):
    print("FAIL: " + message, flush=True)
    for folder in SCRATCH:
        print("kept for inspection: " + folder, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def skip(message):
    # ctest reads exit status 77 as "skipped" (SKIP_RETURN_CODE in CMakeLists.txt).
    print("SKIP: " + message, flush=True)
    sys.exit(77)


def ports_free(base):
    """True when TCP base..base+98, UDP base+99 and TCP base+100..base+199 (the second
    range: imap on base+100+4i) can all be bound on 127.0.0.1.  The TCP ports are
    tried with SO_REUSEADDR, as `mailsim serve` binds them: a port whose only
    sockets are in TIME_WAIT (many, after a benchmark or a load test) is free."""
    held = []
    try:
        for port in list(range(base, base + 99)) + list(range(base + 100, base + 200)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(s)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        held.append(u)
        u.bind(("127.0.0.1", base + 99))
        return True
    except OSError:
        return False
    finally:
        for s in held:
            s.close()


class live_server:
    """One `mailsim serve` process whose output goes to a file in a scratch folder."""

    def __init__(self, mailsim, scenario, extra=(), scratch=None):
        self.mailsim = mailsim
        self.scenario = scenario
        self.extra = list(extra)
        if scratch is None:
            scratch = tempfile.mkdtemp(prefix="mailsim-live-")
            SCRATCH.append(scratch)
        self.scratch = scratch
        self.proc = None
        self.ports = {}
        self.output_path = None
        self.base = None
        self.address = None

    def start(self, timeout=15.0):
        rng = random.Random(os.getpid() ^ int(time.time() * 1000))
        # Bases below Linux's ephemeral range (32768-60999) first: client
        # ports in TIME_WAIT, left by tests that open many connections (ours
        # and others' on a shared machine), pile up there.
        for attempt in range(40):
            base = rng.randrange(20000, 32600 if attempt < 30 else 60000, 200)
            if not ports_free(base):
                continue
            if self._try_start(base, attempt, timeout):
                return self
        fail("could not start mailsim serve on any free port base")

    def _try_start(self, base, attempt, timeout):
        self.base = base
        self.output_path = os.path.join(self.scratch, "serve-%d-%d.out" % (base, attempt))
        out = open(self.output_path, "wb")
        argv = [self.mailsim, "serve", self.scenario, "--port-base", str(base)] + self.extra
        self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.output()
            if "\nready\n" in "\n" + text:
                self.ports = {}
                for line in text.splitlines():
                    m = LISTEN_LINE.match(line)
                    if m:
                        self.ports[(m.group(1), m.group(2))] = int(m.group(4))
                        self.address = m.group(3)
                return True
            if self.proc.poll() is not None:
                # Another test took a port between our check and the bind: try elsewhere.
                if "cannot listen" in text:
                    return False
                fail("mailsim serve exited with %d before ready:\n%s" % (self.proc.returncode, text))
            time.sleep(0.05)
        self.kill()
        fail("mailsim serve printed no 'ready' within %.0f s:\n%s" % (timeout, self.output()))

    def output(self):
        with open(self.output_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def port(self, host, service):
        check((host, service) in self.ports, "no listener for %s %s in %r" % (host, service, self.ports))
        return self.ports[(host, service)]

    def wait_for_output(self, pattern, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.output(), re.MULTILINE):
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout=10.0, how=signal.SIGTERM):
        """Sends `how` (SIGTERM or SIGINT); returns the exit status (killed and a failure after `timeout`)."""
        self.proc.send_signal(how)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            fail("mailsim serve did not stop within %.0f s of %s:\n%s" % (timeout, how.name, self.output()[-3000:]))

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def read_reply(f):
    """One SMTP reply (all lines) from a socket file; [] at end of file."""
    lines = []
    while True:
        line = f.readline()
        if not line:
            return lines
        lines.append(line.decode("ascii", "replace").rstrip("\r\n"))
        if len(line) < 4 or line[3:4] != b"-":
            return lines


def pop3_messages(port, user, password, want, timeout=10.0):
    """Polls a POP3 mailbox until it holds `want` messages; returns them as bytes (RETR, no DELE)."""
    import poplib
    deadline = time.monotonic() + timeout
    count = 0
    while True:
        box = poplib.POP3("127.0.0.1", port, timeout=5)
        try:
            box.user(user)
            box.pass_(password)
            count = box.stat()[0]
            if count >= want or time.monotonic() >= deadline:
                return [b"\r\n".join(box.retr(i)[1]) for i in range(1, count + 1)]
        finally:
            box.quit()
        time.sleep(0.2)


def main(body):
    """Runs body(mailsim) and reports the outcome in ctest's terms."""
    if len(sys.argv) < 2:
        fail("usage: %s PATH/TO/mailsim" % sys.argv[0])
    body(sys.argv[1])
    for folder in SCRATCH:
        shutil.rmtree(folder, ignore_errors=True)
    print("PASS", flush=True)
