"""Starts the HTTP fixture (the server over the fake world) and stops it again.

Standard library only.  The fixture prints `listen - http ADDRESS` and
`ready`; every test is bounded in time and kills it in a `finally`.
"""
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

LISTEN = re.compile(r"^listen - http (\S+)$")


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def skip(message):
    # ctest reads exit status 77 as "skipped" (SKIP_RETURN_CODE in CMakeLists.txt).
    print("SKIP: " + message, flush=True)
    sys.exit(77)


class fixture:
    def __init__(self, program):
        self.proc = subprocess.Popen([program], stdout=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline().strip()
        match = LISTEN.match(first)
        if not match or self.proc.stdout.readline().strip() != "ready":
            self.stop()
            fail("the fixture did not start: " + first)
        self.address = match.group(1)
        self.base = "http://" + self.address

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def api(self, method, path, body=None):
        """The JSON answer of one API call (urllib), whatever its status."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
