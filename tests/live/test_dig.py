"""dig asks the fake DNS over real UDP: the MX, the MX host's A record, and a name that does not exist."""
import os
import shutil
import subprocess

import live_harness as h


def dig(port, *query):
    argv = [shutil.which("dig"), "-p", str(port), "@127.0.0.1", "+tries=1", "+time=3"] + list(query)
    run = subprocess.run(argv, capture_output=True, text=True, timeout=15)
    h.check(run.returncode == 0, "dig %s exited with %d:\n%s%s" % (" ".join(query), run.returncode, run.stdout, run.stderr))
    return run.stdout


def body(mailsim):
    if not shutil.which("dig"):
        h.skip("dig is not installed (apt-get install dnsutils; quickstart.sh does)")
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json")).start()
    try:
        port = server.port("-", "dns")
        got = dig(port, "example.org", "MX", "+short").split()
        h.check(got == ["10", "mx1.example.org."], "MX answer: %r" % got)
        got = dig(port, "mx1.example.org", "A", "+short").split()
        h.check(got == ["198.51.100.10"], "A answer: %r" % got)
        got = dig(port, "-x", "198.51.100.10", "+short").split()
        h.check(got == ["mx1.example.org."], "PTR answer: %r" % got)
        full = dig(port, "nowhere.example.org", "A")
        h.check("status: NXDOMAIN" in full, "no NXDOMAIN for a missing name:\n" + full)
        status = server.stop()
        h.check(status == 0, "serve exited with %d" % status)
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
