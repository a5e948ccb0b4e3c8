#!/usr/bin/env python3
"""live_bench.py - `mailsim serve` under load over loopback, next to Postfix when it is installed.

Drives each server with bench/smtp_load (10 sessions, 1 KiB messages, one command at a time) for
three connection patterns: 1 message per connection, 10 per connection, and persistent
connections.  Servers:
  mailsim            `mailsim serve bench/live-bench.json`, mailboxes in memory
  mailsim --spool    the same with --spool (a fresh directory each run)
  baseline, ...      the same two for another mailsim binary (--baseline), for before/after
  smtp-sink          Postfix's test sink (accepts and discards), when /usr/sbin/smtp-sink exists
  postfix            a throwaway Postfix instance (its own config and queue under a temp folder,
                     virtual(8) delivery into a Maildir), when /usr/sbin/postfix exists and this
                     runs as root; stopped and removed at the end.  Nothing is installed or
                     configured outside the temp folder.
Runs alternate (every server once per pattern per round); the table gives medians over rounds:
msg/s, p50 and p99 latency per message (connect or MAIL FROM to the final 250), server CPU per
message, server memory at the end.  Then the ratios.  `--memory N` also sends N messages to each
mailsim (in memory) and prints its resident memory every N/10 messages; `--fsyncs` counts the
server's fsync calls per message with strace (mailsim --spool, and Postfix).  `--no-spool` measures
only the in-memory servers against smtp-sink.

  python3 bench/live_bench.py [--seconds 5] [--rounds 3] [--baseline OTHER/mailsim]
                              [--patterns 1,10,0] [--memory 50000] [--fsyncs] [--no-spool]
"""
import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIO = os.path.join(HERE, "live-bench.json")
TICK = os.sysconf("SC_CLK_TCK")


def free_port_base(span=100):
    """A base whose `span` TCP ports (and the last as UDP) are free on 127.0.0.1: below
    Linux's ephemeral range (32768-60999), where the benchmark's own client ports
    are; tried with SO_REUSEADDR as the servers bind them (TIME_WAIT does not count)."""
    rng = random.Random()
    for _ in range(50):
        base = rng.randrange(20000, 32700 - span, 100)
        held = []
        try:
            for p in range(base, base + span - 1):
                s = socket.socket()
                held.append(s)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", p))
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            held.append(u)
            u.bind(("127.0.0.1", base + span - 1))
            return base
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    sys.exit("live_bench: no free port range")


def wait_port(port, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on port %d" % port)


def proc_cpu_seconds(pid, children=False):
    """utime+stime of a process (all its threads), plus its reaped children's when asked."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def child_pids(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return out


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class mailsim_server:
    def __init__(self, binary, label, spool):
        self.binary, self.label, self.spool = binary, label, spool
        self.proc = None
        self.scratch = None

    def start(self):
        base = free_port_base()
        argv = [self.binary, "serve", SCENARIO, "--port-base", str(base), "--quiet"]
        if self.spool:
            self.scratch = tempfile.mkdtemp(prefix="mailsim-bench-spool-")
            argv += ["--spool", os.path.join(self.scratch, "spool")]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        for line in self.proc.stdout:
            if line.strip() == b"ready":
                break
        else:
            raise RuntimeError("%s: no 'ready'" % self.label)
        self.port = base  # mx1.example.org's smtp: host 0 of the scenario
        return self

    def pids(self):
        return [self.proc.pid]

    def cpu(self):
        return proc_cpu_seconds(self.proc.pid)

    def rss(self):
        return rss_kib(self.proc.pid)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)


class sink_server:
    label = "smtp-sink"

    def start(self):
        self.port = free_port_base(2)
        user = ["-u", "postfix"] if os.geteuid() == 0 else []  # as root it must be told whom to run as
        self.proc = subprocess.Popen(["/usr/sbin/smtp-sink"] + user + ["127.0.0.1:%d" % self.port, "256"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def pids(self):
        return [self.proc.pid]

    def cpu(self):
        return proc_cpu_seconds(self.proc.pid)

    def rss(self):
        return rss_kib(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


MAIN_CF = """compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx1.example.org
mydestination =
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = example.org
virtual_mailbox_base = {d}/mail
virtual_mailbox_maps = texthash:{d}/etc/vmailbox
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
smtpd_peername_lookup = no
in_flow_delay = 0
biff = no
maillog_file_prefixes = {d}
maillog_file = {d}/maillog
"""

MASTER_CF = """127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
local     unix  - n n -    - local
virtual   unix  - n n -    - virtual
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


class postfix_server:
    """A Postfix instance of its own under a temp folder: durable queue, virtual(8) into a Maildir."""
    label = "postfix"

    def start(self):
        import pwd
        pw = pwd.getpwnam("postfix")
        self.dir = tempfile.mkdtemp(prefix="mailsim-bench-postfix-")
        os.chmod(self.dir, 0o755)
        for sub in ("etc", "queue", "data", "mail"):
            os.mkdir(os.path.join(self.dir, sub))
        os.chown(os.path.join(self.dir, "data"), pw.pw_uid, pw.pw_gid)
        os.chown(os.path.join(self.dir, "mail"), pw.pw_uid, pw.pw_gid)
        self.port = free_port_base(2)
        with open(os.path.join(self.dir, "etc", "main.cf"), "w") as f:
            f.write(MAIN_CF.format(d=self.dir, uid=pw.pw_uid, gid=pw.pw_gid))
        with open(os.path.join(self.dir, "etc", "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port))
        with open(os.path.join(self.dir, "etc", "vmailbox"), "w") as f:
            f.write("bob@example.org example.org/bob/\n")
        self.conf = os.path.join(self.dir, "etc")
        subprocess.run(["/usr/sbin/postfix", "-c", self.conf, "start"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        with open(os.path.join(self.dir, "queue", "pid", "master.pid")) as f:
            self.master = int(f.read().strip())
        return self

    def pids(self):
        return [self.master] + child_pids(self.master)

    def cpu(self):
        total = proc_cpu_seconds(self.master, children=True)
        for pid in child_pids(self.master):
            try:
                total += proc_cpu_seconds(pid)
            except OSError:
                pass
        return total

    def rss(self):
        total = 0
        for pid in self.pids():
            try:
                total += rss_kib(pid)
            except OSError:
                pass
        return total

    def stop(self):
        subprocess.run(["/usr/sbin/postfix", "-c", self.conf, "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while os.path.exists("/proc/%d" % self.master) and time.monotonic() < deadline:
            time.sleep(0.1)
        if os.path.exists("/proc/%d" % self.master):
            subprocess.run(["/usr/sbin/postfix", "-c", self.conf, "abort"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def run_load(client, port, per_connection, seconds, messages=0):
    argv = [client, "--port", str(port), "--per-connection", str(per_connection)]
    argv += ["--messages", str(messages)] if messages else ["--seconds", str(seconds)]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds * 10 + 120).stdout
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", out)}


def measure(server, client, pattern, seconds):
    """One run: the load's figures plus the server's CPU per message and its memory."""
    cpu_before = server.cpu()
    got = run_load(client, server.port, pattern, seconds)
    cpu = server.cpu() - cpu_before
    # The client warms up for 1 s before it measures: count the server's CPU over both.
    total = got["messages"] * (seconds + 1) / seconds if got.get("messages") else 0
    got["cpu_us"] = cpu / total * 1e6 if total else 0
    got["rss_mib"] = server.rss() / 1024
    return got


PATTERN_NAME = {1: "1 msg/conn", 10: "10 msg/conn", 0: "persistent"}


def table(results, patterns, labels):
    print("\n%-12s %-22s %9s %9s %9s %10s %9s" % ("pattern", "server", "msg/s", "p50 ms", "p99 ms", "CPU us/msg", "RSS MiB"))
    med = {}
    for p in patterns:
        for label in labels:
            runs = results.get((p, label), [])
            if not runs:
                continue
            m = {k: statistics.median(r[k] for r in runs) for k in ("msg_per_s", "p50_us", "p99_us", "cpu_us", "rss_mib")}
            med[(p, label)] = m
            print("%-12s %-22s %9.0f %9.2f %9.2f %10.0f %9.1f" % (PATTERN_NAME[p], label, m["msg_per_s"], m["p50_us"] / 1e3,
                                                               m["p99_us"] / 1e3, m["cpu_us"], m["rss_mib"]))
    return med


def ratios(med, patterns, pairs):
    print()
    for p in patterns:
        for a, b, what in pairs:
            if (p, a) in med and (p, b) in med and med[(p, b)]["msg_per_s"]:
                r = med[(p, a)]["msg_per_s"] / med[(p, b)]["msg_per_s"]
                line = "%-12s %-22s / %-18s msg/s %5.2fx" % (PATTERN_NAME[p], a, b, r)
                if what == "latency":
                    line += "   p99 %.2f ms vs p50 %.2f ms" % (med[(p, a)]["p99_us"] / 1e3, med[(p, b)]["p50_us"] / 1e3)
                print(line)


def memory_curve(label, binary, client, total):
    server = mailsim_server(binary, label, False).start()
    try:
        step = max(1, total // 10)
        print("\n%s: resident memory while %d messages arrive (persistent connections)" % (label, total))
        print("  %8d messages: %7.1f MiB" % (0, server.rss() / 1024))
        sent = 0
        while sent < total:
            run_load(client, server.port, 0, 0, step)
            sent += step
            time.sleep(0.5)  # let the deliveries after the 250s finish
            print("  %8d messages: %7.1f MiB" % (sent, server.rss() / 1024))
    finally:
        server.stop()


def count_fsyncs(server, client, messages):
    """fsync-family calls of the server's processes per message, with strace -c."""
    out = tempfile.mktemp(prefix="mailsim-bench-strace-")
    argv = ["strace", "-f", "-c", "-o", out, "-e", "trace=fsync,fdatasync,syncfs,msync"]
    for pid in server.pids():
        argv += ["-p", str(pid)]
    tracer = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    run_load(client, server.port, 0, 0, messages)
    time.sleep(1.0)  # deliveries after the 250s (mailbox files) count too
    tracer.send_signal(signal.SIGINT)
    tracer.wait(20)
    calls = {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[-1] in ("fsync", "fdatasync", "syncfs", "msync"):
                calls[parts[-1]] = int(parts[3])
    os.unlink(out)
    per = {k: v / messages for k, v in calls.items()}
    print("  %-22s %s" % (server.label, ", ".join("%s %.2f/msg" % kv for kv in sorted(per.items())) or "none"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mailsim", default=os.path.join(ROOT, "build", "sim", "cli", "mailsim"))
    ap.add_argument("--baseline", help="another mailsim binary to measure alongside (before/after)")
    ap.add_argument("--client", default=os.path.join(ROOT, "build", "bench", "smtp_load"))
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--patterns", default="1,10,0", help="messages per connection; 0 = persistent")
    ap.add_argument("--memory", type=int, default=0, help="also print mailsim's memory over this many messages")
    ap.add_argument("--fsyncs", action="store_true", help="also count fsyncs per message (strace)")
    ap.add_argument("--no-postfix", action="store_true", help="leave Postfix and smtp-sink out")
    ap.add_argument("--no-spool", action="store_true", help="leave the --spool servers and Postfix out (in memory "
                    "against smtp-sink only)")
    a = ap.parse_args()
    # SIGTERM unwinds like ^C, so that a Postfix instance of ours is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if a.fsyncs and not shutil.which("strace"):
        sys.exit("live_bench: --fsyncs needs strace")
    patterns = [int(p) for p in a.patterns.split(",")]
    targets = [mailsim_server(a.mailsim, "mailsim", False)]
    targets += [] if a.no_spool else [mailsim_server(a.mailsim, "mailsim --spool", True)]
    if a.baseline:
        targets += [mailsim_server(a.baseline, "baseline", False)]
        targets += [] if a.no_spool else [mailsim_server(a.baseline, "baseline --spool", True)]
    postfix = None
    if not a.no_postfix and os.path.exists("/usr/sbin/smtp-sink"):
        targets.append(sink_server())
    if not a.no_postfix and not a.no_spool and os.path.exists("/usr/sbin/postfix") and os.geteuid() == 0:
        postfix = postfix_server()
    elif not a.no_postfix and not a.no_spool:
        print("Postfix not measured: needs the postfix package and root (for its own throwaway instance)")
    print("machine: %d CPUs; load before: %s" % (os.cpu_count(), open("/proc/loadavg").read().strip()))
    results = {}
    try:
        if postfix:
            postfix.start()
        for r in range(a.rounds):
            for p in patterns:
                order = targets + ([postfix] if postfix else [])
                order = order[r % len(order):] + order[:r % len(order)]  # a different server first each round
                for t in order:
                    server = t if t is postfix else t.start()
                    try:
                        got = measure(server, a.client, p, a.seconds)
                    finally:
                        if t is not postfix:
                            t.stop()
                    results.setdefault((p, t.label), []).append(got)
                    print("round %d %-12s %-18s %7.0f msg/s  p50 %6.2f ms  p99 %7.2f ms  %5.0f us CPU/msg" % (
                        r + 1, PATTERN_NAME[p], t.label, got["msg_per_s"], got["p50_us"] / 1e3, got["p99_us"] / 1e3,
                        got["cpu_us"]), flush=True)
        labels = [t.label for t in targets] + (["postfix"] if postfix else [])
        med = table(results, patterns, labels)
        ratios(med, patterns, [("mailsim", "smtp-sink", ""), ("mailsim --spool", "postfix", "latency"),
                               ("mailsim", "baseline", ""), ("mailsim --spool", "baseline --spool", "")])
        if a.fsyncs and not a.no_spool:
            print("\nfsync calls per message (strace -c, persistent connections, 2000 messages):")
            s = mailsim_server(a.mailsim, "mailsim --spool", True).start()
            try:
                count_fsyncs(s, a.client, 2000)
            finally:
                s.stop()
            if a.baseline:
                s = mailsim_server(a.baseline, "baseline --spool", True).start()
                try:
                    count_fsyncs(s, a.client, 2000)
                finally:
                    s.stop()
            if postfix:
                count_fsyncs(postfix, a.client, 2000)
    finally:
        if postfix:
            postfix.stop()
    if a.memory:
        memory_curve("mailsim", a.mailsim, a.client, a.memory)
        if a.baseline:
            memory_curve("baseline", a.baseline, a.client, a.memory)
    print("\nload after: %s" % open("/proc/loadavg").read().strip())


if __name__ == "__main__":
    main()
