"""Shared helpers of the `mailsim world` tests with Debian's Postfix.

A test writes a scenario (one host `external`: the Postfix), a Postfix
configuration of its own in a temporary folder (never /etc/postfix), runs
`mailsim world SCENARIO --wait-ready --trace T -- postfix_instance.sh DIR N`
(the timeline starts when that Postfix greets on port 25) and reads the
exit status, the output and the trace.  As root with namespaces;
anything else fails loudly (a test that cannot run must not pass).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INSTANCE = os.path.join(HERE, "postfix_instance.sh")


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def require_root_and_postfix():
    if os.geteuid() != 0:
        fail("the `mailsim world` tests run as root (they create namespaces)")
    if not shutil.which("postfix") or not os.path.exists("/usr/share/postfix/master.cf.dist"):
        fail("Debian's postfix package is missing (quickstart.sh installs it)")


def master_cf():
    """master.cf.dist with every service's chroot column set to n: a chrooted
    smtp client would not see the resolv.conf the namespace mounts."""
    out = []
    with open("/usr/share/postfix/master.cf.dist") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 8 and not line[0].isspace() and not line.startswith("#"):
                fields[4] = "n"
                line = "  ".join(fields[:7]) + "  " + " ".join(fields[7:]) + "\n"
            out.append(line)
    return "".join(out)


def postfix_dir(hostname, address, extra):
    """A folder with conf/{main.cf,master.cf}, queue/, data/ for one instance."""
    root = tempfile.mkdtemp(prefix="mailsim-postfix-")
    os.chmod(root, 0o755)
    for sub in ("conf", "queue", "data"):
        os.makedirs(os.path.join(root, sub))
    settings = {
        "compatibility_level": "3.6",
        "queue_directory": root + "/queue",
        "data_directory": root + "/data",
        "mail_owner": "postfix",
        "setgid_group": "postdrop",
        "myhostname": hostname,
        "mydestination": "",
        "inet_interfaces": address,
        "inet_protocols": "ipv4",
        "smtp_bind_address": address,
        "mynetworks": "127.0.0.0/8",
        "maillog_file": root + "/maillog",
        "maillog_file_prefixes": root,
        "smtpd_banner": "$myhostname ESMTP",
        "biff": "no",
        "minimal_backoff_time": "5s",
        "maximal_backoff_time": "10s",
        "queue_run_delay": "2s",
        "maximal_queue_lifetime": "5m",
        "bounce_queue_lifetime": "5m",
        "smtp_connect_timeout": "5s",
    }
    settings.update(extra)
    with open(os.path.join(root, "conf", "main.cf"), "w") as f:
        for key, value in settings.items():
            f.write("%s = %s\n" % (key, value))
    with open(os.path.join(root, "conf", "master.cf"), "w") as f:
        f.write(master_cf())
    return root


def run_world(mailsim, scenario, pfdir, removed, until="90s", seconds=60, extra=()):
    """Runs the world; returns (status, stdout, stderr, events)."""
    path = os.path.join(pfdir, "scenario.json")
    with open(path, "w") as f:
        json.dump(scenario, f, indent=2)
    trace = os.path.join(pfdir, "trace.jsonl")
    cmd = [mailsim, "world", path, "--wait-ready=30s", "--until", until, "--trace", trace, *extra, "--",
           "sh", INSTANCE, pfdir, str(removed), str(seconds)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    events = []
    if os.path.exists(trace):
        with open(trace) as f:
            events = [json.loads(line) for line in f if line.strip()]
    return p.returncode, p.stdout, p.stderr, events


def show(status, out, err):
    print("exit status", status)
    print(out)
    print(err, file=sys.stderr)


def check(condition, message, status=None, out="", err=""):
    if not condition:
        if status is not None:
            show(status, out, err)
        fail(message)


def find(events, **fields):
    return [e for e in events if all(e.get(k) == v for k, v in fields.items())]


def cleanup(pfdir):
    shutil.rmtree(pfdir, ignore_errors=True)


def maillog(pfdir):
    with open(os.path.join(pfdir, "maillog")) as f:
        return f.read()


def postfix_status_lines(pfdir):
    return [l for l in maillog(pfdir).splitlines() if re.search(r" status=", l)]


def dump_log(pfdir):
    print(maillog(pfdir))
