#!/usr/bin/env python3
"""soak.py - `mailsim serve --spool` under many concurrent sessions of mixed traffic while random
faults come and go; run by hand (minutes), never by ctest.

The world is bench/soak-world.json: clients send to bob and carol on mx1.example.org (port 25) or
submit as alice to mail.sender.test (587, AUTH PLAIN), which relays them to mx1 inside the
simulation.  SESSIONS client threads each run sessions back to back for SECONDS, drawn by weight:
  70  good      EHLO, MAIL, RCPT, DATA of a small message with a unique Message-ID (half direct,
                half submitted), QUIT
  10  slow      the same with a pause of 0.2-2 s before every command
  10  mid-DATA  a message cut off halfway through DATA: the socket closed (half) or reset (half)
  10  garbage   lines of random bytes, a few replies read, then closed
Meanwhile a fault thread applies a random fault over the REST API (`--http`) to one of the two
hosts, heals it 1-4 s later and waits 0.5-2 s before the next: refuse (mx1 only, 15%), reset
(35%: half of them at "accepted", after the 250 to the final dot, the duplicate-delivery case; the
others at a phase from connect to quit), a 4xx reply at mail, rcpt, data or dot for the next 1-3
times (35%), slow replies of 0.2-2 s (the rest).

At the end: every fault healed, the relay's queue drained (at most 60 s), SIGTERM (the server must
exit 0 within 10 s), then the JSON Lines trace is read: every message whose DATA got a 250 must
have been filed (`lda.deliver` with its Message-ID), the process must never have died, every client
thread must have ended, and resident memory after the first 10 s must stay within 1.5 times its
value at 10 s (plus 16 MiB).  Prints the figures and exits 1 if any check failed.

  python3 bench/soak.py [--mailsim build/sim/cli/mailsim] [--sessions 200] [--seconds 60]
                        [--seed N] [--keep]
"""
import argparse
import base64
import json
import os
import random
import shutil
import smtplib
import socket
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "live"))
import live_harness as h  # noqa: E402  (the same server start-up as the live tests)

WORLD = os.path.join(HERE, "soak-world.json")
MX, RELAY = "mx1.example.org", "mail.sender.test"
PHASES = ["connect", "ehlo", "mail", "rcpt", "data", "dot", "quit"]


class tally:
    """Counters and the Message-IDs acknowledged, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.acked = set()
        self.unknown = set()  # the connection broke after DATA's content: the client cannot know

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n


def message(mid, i):
    body = "".join("Line %d of the soak message %s.\r\n" % (k, mid) for k in range(1 + i % 20))
    return ("From: <alice@sender.test>\r\nTo: <bob@example.org>\r\nSubject: soak %s\r\nMessage-ID: <%s>\r\n\r\n%s"
            % (mid, mid, body))


def good_session(ports, rng, t, mid, slow):
    pause = (lambda: time.sleep(rng.uniform(0.2, 2.0))) if slow else (lambda: None)
    direct = rng.random() < 0.5
    rcpt = rng.choice(["bob@example.org", "carol@example.org"])
    port = ports[(MX, "smtp")] if direct else ports[(RELAY, "submission")]
    sent = False
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=15) as c:
            pause()
            c.ehlo("client.outside.test")
            if not direct:
                pause()
                c.login("alice@sender.test", "alice-pw")
            pause()
            code, _ = c.mail("alice@sender.test" if not direct else "someone@outside.test")
            if code != 250:
                t.add("refused at MAIL")
                return
            pause()
            code, _ = c.rcpt(rcpt)
            if code not in (250, 251):
                t.add("refused at RCPT")
                return
            pause()
            sent = True
            code, _ = c.data(message(mid, len(mid)))
            with t.lock:
                if code == 250:
                    t.acked.add(mid)
            t.add("acknowledged" if code == 250 else "refused at DATA")
            try:
                c.quit()
            except (smtplib.SMTPException, OSError):
                pass
    except smtplib.SMTPDataError:
        t.add("refused at DATA")
    except (smtplib.SMTPException, OSError) as e:
        if sent:
            with t.lock:
                t.unknown.add(mid)
            t.add("broken after the content (outcome unknown)")
        else:
            t.add("broken before DATA (%s)" % type(e).__name__)


def read_reply(f):
    try:
        return h.read_reply(f)
    except OSError:
        return []


def mid_data_session(ports, rng, t):
    try:
        s = socket.create_connection(("127.0.0.1", ports[(MX, "smtp")]), timeout=15)
    except OSError:
        t.add("mid-DATA: not connected")
        return
    f = s.makefile("rb")
    try:
        read_reply(f)
        for line in (b"EHLO cut.outside.test", b"MAIL FROM:<cut@outside.test>", b"RCPT TO:<bob@example.org>",
                     b"DATA"):
            s.sendall(line + b"\r\n")
            read_reply(f)
        s.sendall(b"Subject: cut off\r\n\r\n" + b"half a message\r\n" * rng.randint(1, 200))
        if rng.random() < 0.5:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        t.add("mid-DATA")
    except OSError:
        t.add("mid-DATA: broken early")
    finally:
        f.close()
        s.close()


def garbage_session(ports, rng, t):
    port = ports[(MX, "smtp")] if rng.random() < 0.5 else ports[(RELAY, "submission")]
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=15)
    except OSError:
        t.add("garbage: not connected")
        return
    f = s.makefile("rb")
    try:
        read_reply(f)
        for _ in range(rng.randint(1, 10)):
            s.sendall(bytes(rng.randrange(256) for _ in range(rng.randint(1, 600))) + b"\r\n")
        t.add("garbage")
    except OSError:
        t.add("garbage: broken")
    finally:
        f.close()
        s.close()


def client(k, ports, seed, deadline, t):
    rng = random.Random(seed * 1000 + k)
    n = 0
    while time.monotonic() < deadline:
        roll = rng.randrange(100)
        n += 1
        if roll < 80:
            good_session(ports, rng, t, "soak-%d-%d-%d@outside.test" % (seed, k, n), slow=roll >= 70)
            t.add("slow sessions" if roll >= 70 else "good sessions")
        elif roll < 90:
            mid_data_session(ports, rng, t)
        else:
            garbage_session(ports, rng, t)


def api(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def draw_fault(rng):
    host = rng.choice([MX, RELAY])
    roll = rng.randrange(100)
    if roll < 15 and host == MX:
        return {"host": host, "kind": "refuse"}
    if roll < 35:  # half of the resets come after the 250 to the dot: the duplicate case
        return {"host": host, "kind": "reset", "phase": "accepted" if rng.random() < 0.5 else rng.choice(PHASES)}
    if roll < 70:
        return {"host": host, "kind": "reply", "phase": rng.choice(["mail", "rcpt", "data", "dot"]),
                "code": rng.choice([421, 450, 451, 452]), "times": rng.randint(1, 3)}
    return {"host": host, "kind": "slow", "delay": "%dms" % rng.randint(200, 2000)}


def faults(base, seed, stop, t):
    rng = random.Random(seed)
    while not stop.wait(rng.uniform(0.5, 2)):
        f = draw_fault(rng)
        api(base, "POST", "/api/v1/faults", f)
        t.add("fault %s%s" % (f["kind"], " " + f["phase"] if "phase" in f else ""))
        stop.wait(rng.uniform(1, 4))
        api(base, "DELETE", "/api/v1/faults/" + f["host"])


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def delivered_ids(trace_path):
    copies = {}
    with open(trace_path, "rb") as f:
        for line in f:
            if b'"lda.deliver"' not in line:
                continue
            mid = (json.loads(line).get("message_id") or "").strip("<>")
            copies[mid] = copies.get(mid, 0) + 1
    return copies


def soak(args):
    scratch = tempfile.mkdtemp(prefix="mailsim-soak-")
    trace_path = os.path.join(scratch, "trace.jsonl")
    server = h.live_server(args.mailsim, WORLD, ["--quiet", "--spool", os.path.join(scratch, "spool"),
                                                 "--http", "127.0.0.1:0", "--trace", trace_path], scratch).start()
    failures = []
    try:
        base = "http://127.0.0.1:%d" % server.port("-", "http")
        t = tally()
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [threading.Thread(target=client, args=(k, server.ports, args.seed, deadline, t), daemon=True)
                   for k in range(args.sessions)]
        stop = threading.Event()
        injector = threading.Thread(target=faults, args=(base, args.seed, stop, t), daemon=True)
        for th in threads:
            th.start()
        injector.start()
        rss = []
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                failures.append("the server died (exit %s) during the soak" % server.proc.returncode)
                break
            rss.append((time.monotonic() - start, rss_kib(server.proc.pid)))
            time.sleep(1)
        stop.set()
        injector.join(15)
        for th in threads:
            th.join(max(0.1, deadline + 40 - time.monotonic()))
        stuck = sum(1 for th in threads if th.is_alive())
        if stuck:
            failures.append("%d client threads still in a session 40 s after the end" % stuck)
        if server.proc.poll() is None:
            for host in (MX, RELAY):
                api(base, "DELETE", "/api/v1/faults/" + host)
        drain_start = time.monotonic()
        while server.proc.poll() is None and time.monotonic() < drain_start + 60:
            if not api(base, "GET", "/api/v1/queue/" + RELAY):
                break
            time.sleep(0.5)
        left = api(base, "GET", "/api/v1/queue/" + RELAY) if server.proc.poll() is None else None
        if left:
            failures.append("%d messages still queued on %s 60 s after the end" % (len(left), RELAY))
        drained = time.monotonic() - drain_start
        rss.append((time.monotonic() - start, rss_kib(server.proc.pid) if server.proc.poll() is None else 0))
        stop_start = time.monotonic()
        status = server.stop(10)
        stopped = time.monotonic() - stop_start
        if status != 0:
            failures.append("serve exited with %d after SIGTERM" % status)
        copies = delivered_ids(trace_path)
        lost = sorted(m for m in t.acked if m not in copies)
        if lost:
            failures.append("%d acknowledged messages never filed, first %s" % (len(lost), lost[:3]))
        after10 = [kib for s, kib in rss if s >= 10]
        at10 = after10[0] if after10 else 0
        peak = max(after10) if after10 else 0
        if at10 and peak > at10 * 1.5 + 16 * 1024:
            failures.append("resident memory grew from %d KiB at 10 s to %d KiB" % (at10, peak))
        report(args, t, copies, rss, at10, peak, drained, stopped, os.path.getsize(trace_path))
    finally:
        server.kill()
        if args.keep or failures:
            print("kept: " + scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print("soak: %d checks failed" % len(failures))
    return 1 if failures else 0


def report(args, t, copies, rss, at10, peak, drained, stopped, trace_bytes):
    acked = len(t.acked)
    twice = sum(1 for m in t.acked | t.unknown if copies.get(m, 0) > 1)
    unknown_filed = sum(1 for m in t.unknown if m in copies)
    print("%d sessions for %d s, seed %d" % (args.sessions, args.seconds, args.seed))
    for key in sorted(t.counts):
        print("  %-45s %d" % (key, t.counts[key]))
    print("acknowledged messages: %d (%.0f/s), all filed: %s" % (acked, acked / args.seconds,
                                                                  all(m in copies for m in t.acked)))
    print("outcome unknown to the client: %d, of which filed: %d; filed more than once (a lost 250 resent by the "
          "relay, or a client's own copy): %d" % (len(t.unknown), unknown_filed, twice))
    print("resident memory: %d KiB at 10 s, %d KiB peak after 10 s, %d KiB at the end" %
          (at10, peak, rss[-1][1] if rss else 0))
    print("resident memory every 10 s (KiB): " + ", ".join("%d" % kib for s, kib in rss if int(s) % 10 == 0 and s >= 1))
    print("relay queue drained %.1f s after the load; SIGTERM to exit %.2f s; trace %.1f MB; load average %.1f" %
          (drained, stopped, trace_bytes / 1e6, os.getloadavg()[0]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mailsim", default=os.path.join(ROOT, "build", "sim", "cli", "mailsim"))
    p.add_argument("--sessions", type=int, default=200)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the scratch folder (spool, trace)")
    args = p.parse_args()
    sys.exit(soak(args))


if __name__ == "__main__":
    main()
