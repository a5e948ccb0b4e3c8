"""`mailsim world` without Postfix: refusals, COMMAND's end, --until, signals, cleanup.

As root with namespaces (the tests fail, they do not skip, without them).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import postfix_harness as h

WORLD = {
    "scenario": "world-cli",
    "title": "A small world for the command line tests",
    "hosts": {
        "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
        "outside.sender.test": {"ip": "192.0.2.25", "external": True},
    },
    "expect": [{"trace": {"event": "sim.start"}}],
}


def write(doc):
    fd, path = tempfile.mkstemp(suffix=".json", prefix="mailsim-world-")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    os.chmod(path, 0o644)
    return path


def run(mailsim, args, timeout=30, **kw):
    return subprocess.run([mailsim, "world", *args], capture_output=True, text=True, timeout=timeout, **kw)


def main():
    mailsim = sys.argv[1]
    if os.geteuid() != 0:
        h.fail("the `mailsim world` tests run as root (they create namespaces)")
    path = write(WORLD)

    # Not root: a clear message, exit 2, nothing run.
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", mailsim, "world", path,
                        "--", "true"], capture_output=True, text=True, timeout=30)
    h.check(p.returncode == 2 and "must run as root" in p.stderr, "not root: %d %r" % (p.returncode, p.stderr))

    # A host outside the documentation ranges is refused before anything is created.
    bad = json.loads(json.dumps(WORLD))
    bad["hosts"]["mx.example.org"]["ip"] = "10.1.2.3"
    p = run(mailsim, [write(bad), "--", "true"])
    h.check(p.returncode == 2 and "/hosts/mx.example.org/ip: \"10.1.2.3\" is not a documentation or loopback address"
            in p.stderr, "real address: %d %r" % (p.returncode, p.stderr))

    # No COMMAND: usage error.
    p = run(mailsim, [path])
    h.check(p.returncode == 2 and "COMMAND" in p.stderr, "no command: %d %r" % (p.returncode, p.stderr))

    # `run` refuses a scenario with an external host.
    p = subprocess.run([mailsim, "run", path], capture_output=True, text=True, timeout=30)
    h.check(p.returncode == 2 and "/hosts/outside.sender.test/external" in p.stderr and "mailsim world" in p.stderr,
            "run with an external host: %d %r" % (p.returncode, p.stderr))

    # Inside: the namespace has the addresses, the resolv.conf and the DNS;
    # the machine's own resolv.conf is untouched.
    with open("/etc/resolv.conf") as f:
        outside_resolv = f.read()
    probe = ("grep -q 'nameserver 127.0.0.53' /etc/resolv.conf && "
             "ip -o addr show dev lo | grep -q 198.51.100.10 && "
             "ip -o addr show dev lo | grep -q 192.0.2.25 && "
             "getent hosts mx.example.org | grep -q 198.51.100.10 && "
             "dig +tcp +short @127.0.0.53 mx.example.org A | grep -qx 198.51.100.10 && "
             "dig +notcp +short @127.0.0.53 -x 198.51.100.10 | grep -qx mx.example.org.")
    trace = tempfile.mktemp(prefix="mailsim-world-trace-")
    p = run(mailsim, [path, "--quiet", "--trace", trace, "--", "sh", "-c", probe])
    h.check(p.returncode == 0, "the namespace is not as described: %d %r %r" % (p.returncode, p.stdout, p.stderr))
    with open(trace) as f:
        events = [json.loads(l) for l in f]
    os.unlink(trace)
    # The DNS questions asked from inside are the external host's (the only one).
    asked = [(e["name"], e["type"]) for e in events if e["event"] == "dns.answer" and e["host"] == "outside.sender.test"
             and e["rcode"] == "NOERROR"]
    h.check(("mx.example.org", "A") in asked and ("10.100.51.198.in-addr.arpa", "PTR") in asked,
            "the DNS questions from inside are not in the trace: %r" % asked)
    with open("/etc/resolv.conf") as f:
        h.check(f.read() == outside_resolv, "the machine's /etc/resolv.conf changed")
    ip = subprocess.run(["ip", "-o", "addr"], capture_output=True, text=True).stdout
    h.check("198.51.100.10" not in ip, "a scenario address leaked to the machine's network")

    # COMMAND failing by itself: exit 1 even though the expectations pass.
    p = run(mailsim, [path, "--quiet", "--grace", "100ms", "--", "sh", "-c", "exit 3"])
    h.check(p.returncode == 1 and "COMMAND exited with status 3" in p.stderr and "1 passed, 0 failed" in p.stdout,
            "failing command: %d %r %r" % (p.returncode, p.stdout, p.stderr))

    # A COMMAND that never ends is killed at --until, with what it started.
    marker = tempfile.mktemp(prefix="mailsim-world-daemon-")
    start = time.monotonic()
    p = run(mailsim, [path, "--quiet", "--until", "2s", "--", "sh", "-c",
                      "(sleep 1000; touch %s) & sleep 1000" % marker])
    took = time.monotonic() - start
    h.check(p.returncode == 0 and "--until 2s reached" in p.stderr and took < 10,
            "until: %d %.1fs %r" % (p.returncode, took, p.stderr))
    out = subprocess.run(["pgrep", "-f", "sleep 1000"], capture_output=True, text=True).stdout
    h.check(out.strip() == "", "processes COMMAND started outlived the world: %r" % out)

    # mailsim itself killed with SIGKILL: COMMAND and what it started die too.
    proc = subprocess.Popen([mailsim, "world", path, "--quiet", "--", "sh", "-c", "sleep 1001 & sleep 1001"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    while line and line.strip() != "ready":
        line = proc.stdout.readline()
    time.sleep(0.5)
    proc.kill()
    proc.communicate(timeout=20)
    time.sleep(0.5)
    out = subprocess.run(["pgrep", "-f", "sleep 1001"], capture_output=True, text=True).stdout
    h.check(out.strip() == "", "processes outlived a killed mailsim world: %r" % out)

    # SIGTERM: the world stops, COMMAND is killed, the expectations are still checked.
    proc = subprocess.Popen([mailsim, "world", path, "--quiet", "--", "sleep", "1000"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    while line and line.strip() != "ready":
        line = proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    h.check(proc.returncode == 0 and "SIGTERM" in err and "1 passed, 0 failed" in out,
            "SIGTERM: %d %r %r" % (proc.returncode, out, err))
    for f in (path, marker):
        if os.path.exists(f):
            os.unlink(f)
    print("ok: refusals, failing and endless COMMANDs, SIGTERM, nothing left behind")


if __name__ == "__main__":
    main()
