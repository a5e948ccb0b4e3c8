"""`mailsim world --wait-ready`: COMMAND's READY starts the timeline; the bad paths exit 2.

As root with namespaces (the tests fail, they do not skip, without them).
No Postfix: COMMAND is a shell that signals, or does not.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import postfix_harness as h

WORLD = {
    "scenario": "world-ready",
    "title": "A small world whose timeline waits for COMMAND",
    "hosts": {
        "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
        "outside.sender.test": {"ip": "192.0.2.25", "external": True},
    },
    "timeline": [{"at": "500ms", "fault": {"host": "mx.example.org", "kind": "refuse"}}],
    "expect": [{"trace": {"event": "fault.on", "host": "mx.example.org"}}],
}


def write(doc):
    fd, path = tempfile.mkstemp(suffix=".json", prefix="mailsim-ready-")
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    os.chmod(path, 0o644)
    return path


def world(mailsim, path, options, command, timeout=30):
    """Runs the world; returns (status, stdout, stderr, events, seconds)."""
    trace = tempfile.mktemp(prefix="mailsim-ready-trace-")
    start = time.monotonic()
    p = subprocess.run([mailsim, "world", path, "--quiet", "--trace", trace, *options, "--", "sh", "-c", command],
                       capture_output=True, text=True, timeout=timeout)
    took = time.monotonic() - start
    events = []
    if os.path.exists(trace):
        with open(trace) as f:
            events = [json.loads(line) for line in f if line.strip()]
        os.unlink(trace)
    return p.returncode, p.stdout, p.stderr, events, took


def names(events):
    return [e["event"] for e in events]


def none_left(pattern):
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    h.check(out.strip() == "", "processes COMMAND started outlived the world: %r" % out)


def check_good_path(mailsim, path):
    # COMMAND probes the DNS before READY (the services listen already),
    # lists its descriptors, signals after 1.5 s and keeps running: the
    # fault at 500ms comes 500 ms after READY and --until 1s counts from it.
    fds = tempfile.mktemp(prefix="mailsim-ready-fds-")
    command = ("dig +short @127.0.0.53 mx.example.org A | grep -qx 198.51.100.10 || exit 9; "
               "echo \"$MAILSIM_READY_FD\" > %s; ls -l /proc/self/fd | grep -v ' -> /proc/' | "
               "sed -n 's/.* \\([0-9]*\\) -> .*/\\1/p' >> %s; sleep 1.5; "
               "echo READY >&\"$MAILSIM_READY_FD\"; sleep 29.71" % (fds, fds))
    status, out, err, events, took = world(mailsim, path, ["--wait-ready=20s", "--until", "1s"], command)
    h.check(status == 0 and "--until 1s reached" in err and "1 passed, 0 failed" in out and 2.4 < took < 15,
            "READY then --until: %d %.1fs %r %r" % (status, took, out, err))
    with open(fds) as f:
        lines = f.read().split()
    os.unlink(fds)
    h.check(lines[0] == "3" and sorted(lines[1:]) == ["0", "1", "2", "3"],
            "COMMAND's descriptors are not 0, 1, 2 and MAILSIM_READY_FD=3: %r" % lines)
    seq = names(events)
    h.check(seq[0] == "sim.start" and seq[1] == "world.wait" and seq[-1] == "sim.end", "event order: %r" % seq)
    wait = events[1]
    h.check(wait["t"] == 0 and wait["variable"] == "MAILSIM_READY_FD" and wait["fd"] == 3 and wait["timeout"] == "20s",
            "world.wait: %r" % wait)
    ready = [e for e in events if e["event"] == "world.ready"]
    h.check(len(ready) == 1 and ready[0]["t"] == 0 and ready[0]["waited"] >= 1400, "world.ready: %r" % ready)
    before = events[:events.index(ready[0])]
    h.check(any(e["event"] == "dns.answer" and e["name"] == "mx.example.org" for e in before) and
            all(e["t"] == 0 for e in before), "the probe before READY is not at t = 0: %r" % before)
    fault = [e for e in events if e["event"] == "fault.on"]
    h.check(len(fault) == 1 and 480 <= fault[0]["t"] < 1000, "the timeline did not start at READY: %r" % fault)
    none_left("sleep 29.71")


def check_bad_paths(mailsim, path):
    cases = [
        # (options, COMMAND, what stderr says, the process to find gone)
        (["--wait-ready"], "exit 0", "COMMAND exited with status 0 without writing READY to MAILSIM_READY_FD", None),
        (["--wait-ready=1s"], "(sleep 1002) & sleep 1002", "COMMAND did not write READY within --wait-ready=1s",
         "sleep 1002"),
        (["--wait-ready"], "exec 3>&-; sleep 1003", "COMMAND closed MAILSIM_READY_FD without writing READY",
         "sleep 1003"),
        (["--wait-ready"], "echo GO >&3; sleep 1004", "COMMAND wrote \"GO\" to MAILSIM_READY_FD, not READY",
         "sleep 1004"),
    ]
    for options, command, said, process in cases:
        status, out, err, events, took = world(mailsim, path, options, command)
        h.check(status == 2 and said in err and "no expectation checked" in err and "passed" not in out and took < 10,
                "%s: %d %.1fs %r %r" % (command, status, took, out, err))
        fail = [e for e in events if e["event"] == "world.ready.fail"]
        h.check(len(fail) == 1 and said in fail[0]["reason"] and names(events)[-1] == "sim.end" and
                "world.ready" not in names(events) and "fault.on" not in names(events) and
                not any(n.startswith("expect.") for n in names(events)),
                "%s: the trace %r" % (command, names(events)))
        if process:
            none_left(process)


def check_without_option(mailsim, path):
    # The descriptor is there without --wait-ready: writing READY to it is
    # harmless (no SIGPIPE) and the timeline starts at once.
    status, out, err, events, _ = world(mailsim, path, ["--grace", "1s"],
                                        "echo READY >&\"$MAILSIM_READY_FD\" && sleep 0.2 && echo READY >&3")
    h.check(status == 0 and "COMMAND exited with status 0" in err and "1 passed, 0 failed" in out,
            "READY without --wait-ready: %d %r %r" % (status, out, err))
    h.check("world.wait" not in names(events) and "world.ready" not in names(events),
            "readiness traced without --wait-ready: %r" % names(events))
    # READY and an exit at once: a normal end (after --grace), not a failure.
    status, out, err, events, _ = world(mailsim, path, ["--wait-ready", "--grace", "1s"], "echo READY >&3")
    h.check(status == 0 and "COMMAND exited with status 0" in err and "1 passed, 0 failed" in out,
            "READY then exit: %d %r %r" % (status, out, err))


def check_usage(mailsim, path):
    for value in ("--wait-ready=abc", "--wait-ready=0s", "--wait-ready=", "--wait-ready=-1s"):
        p = subprocess.run([mailsim, "world", path, value, "--", "true"], capture_output=True, text=True, timeout=30)
        h.check(p.returncode == 2 and "--wait-ready takes a duration" in p.stderr,
                "%s: %d %r" % (value, p.returncode, p.stderr))


def main():
    mailsim = sys.argv[1]
    if os.geteuid() != 0:
        h.fail("the `mailsim world` tests run as root (they create namespaces)")
    path = write(WORLD)
    check_usage(mailsim, path)
    check_good_path(mailsim, path)
    check_bad_paths(mailsim, path)
    check_without_option(mailsim, path)
    os.unlink(path)
    print("ok: READY starts the timeline; no READY, a timeout, a closed descriptor, another line: exit 2")


if __name__ == "__main__":
    main()
