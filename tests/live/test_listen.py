"""--listen accepts loopback addresses only: anything else, a bad --port-base or --spool exits 2 before anything binds."""
import os
import signal
import socket
import subprocess

import live_harness as h


def serve(mailsim, *extra):
    argv = [mailsim, "serve", os.path.join(h.HERE, "live-world.json")] + list(extra)
    return subprocess.run(argv, capture_output=True, text=True, timeout=10)


def body(mailsim):
    for address in ("0.0.0.0", "192.0.2.1", "::", "10.0.0.1", "localhost.example", ""):
        run = serve(mailsim, "--listen", address, "--port-base", "2500")
        h.check(run.returncode == 2, "--listen %r exited with %d, want 2" % (address, run.returncode))
        h.check("ready" not in run.stdout and "listen " not in run.stdout,
                "--listen %r printed listeners:\n%s" % (address, run.stdout))
        h.check("loopback" in run.stderr, "--listen %r: the message does not say why:\n%s" % (address, run.stderr))
    for base in ("0", "65437", "abc", "-1"):
        run = serve(mailsim, "--port-base", base)
        h.check(run.returncode == 2, "--port-base %r exited with %d, want 2" % (base, run.returncode))
    run = serve(mailsim, "--spool", "/proc/mailsim-no-such-spool", "--port-base", "2500")
    h.check(run.returncode == 2 and "spool" in run.stderr, "an unusable --spool: %d %r" % (run.returncode, run.stderr))
    # 127.0.0.0/8 is all loopback: another address of it works as well.
    server = h.live_server(mailsim, os.path.join(h.HERE, "live-world.json"), ["--listen", "127.0.0.2"]).start()
    try:
        h.check(server.address == "127.0.0.2", "serve listens on %r, want 127.0.0.2" % server.address)
        with socket.create_connection(("127.0.0.2", server.port("mx1.example.org", "smtp")), timeout=10) as s:
            h.check(s.recv(200).startswith(b"220 mx1.example.org"), "no greeting on 127.0.0.2")
        # SIGINT (Ctrl-C) stops it as cleanly as SIGTERM.
        h.check(server.stop(how=signal.SIGINT) == 0, "serve did not exit 0 on SIGINT")
        h.check(server.output().rstrip().endswith("scenario live-world ends"), "no end line:\n" + server.output())
    finally:
        server.kill()


if __name__ == "__main__":
    h.main(body)
