"""smtp_greets.py ADDRESS PORT [SECONDS] - wait until an SMTP server there greets.

Connects every 100 ms until a reply line starting with 220 arrives (then
QUIT, exit 0); exit 1 after SECONDS (default 30) without one.  The
readiness probe of the `mailsim world --wait-ready` COMMANDs.
"""
import socket
import sys
import time


def greets(address, port):
    try:
        with socket.create_connection((address, port), timeout=2) as s:
            f = s.makefile("rwb")
            if f.readline().startswith(b"220"):
                f.write(b"QUIT\r\n")
                f.flush()
                f.readline()
                return True
    except OSError:
        pass
    return False


def main():
    address, port = sys.argv[1], int(sys.argv[2])
    deadline = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 30)
    while time.monotonic() < deadline:
        if greets(address, port):
            return 0
        time.sleep(0.1)
    print("smtp_greets.py: no 220 greeting from %s port %d" % (address, port), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
