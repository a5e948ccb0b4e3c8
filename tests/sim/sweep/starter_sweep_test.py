"""Every starter scenario (scenarios/) under random faults: mailsim sweep must
find no invariant failure.  A CI-sized count of seeds per scenario, two jobs:
1000, fewer where one run is slow (DKIM keys derived from each seed, a message
of megabytes, a newsletter of many recipients).  Prints each scenario's line
and its wall time.  The whole costs about 71 s of CPU (36 s at 500 seeds).

usage: starter_sweep_test.py MAILSIM SOURCE_DIR [SEEDS]   (SEEDS: one count for all)
"""
import glob
import os
import subprocess
import sys
import time

MAILSIM, ROOT = sys.argv[1:3]
EVERY = sys.argv[3] if len(sys.argv) > 3 else None
SLOW = {"dkim-dmarc-pass": 60, "dkim-revoked-key": 60, "dmarc-forwarding": 60, "mailing-list-breaks-dkim": 60,
        "message-too-big": 200, "newsletter": 400, "newsletter-direct": 100, "newsletter-via-relay": 100,
        "newsletter-throttled": 100}
bad = []
for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.json"))):
    name = os.path.relpath(path, ROOT)
    count = EVERY or SLOW.get(os.path.basename(path)[:-5], 1000)
    start = time.monotonic()
    p = subprocess.run([MAILSIM, "sweep", name, "--seeds", "1..{}".format(count), "--faults", "random", "--jobs", "2",
                        "--check-every", "50"], capture_output=True, text=True, cwd=ROOT)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()
    print("{:40} {:28} {:5.1f} s".format(name, last, time.monotonic() - start))
    if p.returncode != 0 or not last.endswith(" 0 failed"):
        bad.append(name)
        print(p.stdout + p.stderr)
print("{} scenarios, {} failed".format(len(glob.glob(os.path.join(ROOT, "scenarios", "*.json"))), len(bad)))
sys.exit(1 if bad else 0)
