"""The README's "Test your own MTA" example, exactly as a reader runs it:
examples/postfix-world.json with examples/postfix.sh as COMMAND."""
import os
import subprocess
import sys

import postfix_harness as h

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    mailsim = sys.argv[1]
    h.require_root_and_postfix()
    p = subprocess.run([mailsim, "world", "examples/postfix-world.json", "--wait-ready", "--until", "2m", "--", "sh",
                        "examples/postfix.sh"], cwd=ROOT, capture_output=True, text=True, timeout=150)
    h.check(p.returncode == 0 and "3 passed, 0 failed" in p.stdout and
            "relay=mx2.example.org[198.51.100.20]:25" in p.stdout and "status=sent" in p.stdout,
            "the README example did not pass", p.returncode, p.stdout, p.stderr)
    print("ok: the README example passes")


if __name__ == "__main__":
    main()
