#!/usr/bin/env python3
"""Each profile's DSNs as Python's email package reads them (RFC 3464, RFC 3462).

Runs mta_dsn_samples into a temporary folder, then parses every file with
email.message_from_bytes (policy.default) and checks the container, the
three parts, the per-recipient fields and the profile's own marks.
"""
import email
import email.policy
import pathlib
import subprocess
import sys
import tempfile

CONTAINER = {"postfix": "multipart/report", "exim": "multipart/report",
             "sendmail": "multipart/report", "opensmtpd": "multipart/mixed"}
SUBJECT = {
    ("postfix", "failed"): "Undelivered Mail Returned to Sender",
    ("postfix", "delayed"): "Delayed Mail (still being retried)",
    ("opensmtpd", "failed"): "Delivery status notification: failed",
    ("opensmtpd", "delayed"): "Delivery status notification: delayed",
    ("postfix", "success-delivered"): "Successful Mail Delivery Report",
    ("postfix", "success-relayed"): "Successful Mail Delivery Report",
    ("exim", "success-delivered"): "Delivery Status Notification",
    ("exim", "success-relayed"): "Delivery Status Notification",
    ("sendmail", "success-delivered"): "Return receipt",
    ("sendmail", "success-relayed"): "Return receipt",
    ("opensmtpd", "success-delivered"): "Delivery status notification: delivered",
    ("opensmtpd", "success-relayed"): "Delivery status notification: relayed",
}


def want_action(profile, kind):
    """The Action each sample should carry (Exim says delivered for a relay too)."""
    if kind == "delayed":
        return "delayed"
    if kind.startswith("success-"):
        return "delivered" if profile == "exim" else kind[len("success-"):]
    return "failed"


def flat(text):
    """Every run of white space (wrapped and folded lines) as one space."""
    return " ".join(text.split())


def status_groups(part):
    """The delivery-status groups: the per-message one, then one per recipient."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parses the groups as messages
        return [dict((k.lower(), str(v)) for k, v in g.items()) for g in payload]
    groups = []
    for block in payload.replace("\r\n", "\n").strip().split("\n\n"):
        fields = {}
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        groups.append(fields)
    return groups


def check(path, failures):
    profile, _, kind = path.stem.partition("-")
    success = kind.startswith("success-")
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    problems = []
    if msg.defects:
        problems.append(f"defects {msg.defects}")
    if msg.get_content_type() != CONTAINER[profile]:
        problems.append(f"container {msg.get_content_type()}")
    if profile != "opensmtpd" and msg.get_param("report-type") != "delivery-status":
        problems.append("no report-type=delivery-status")
    parts = msg.get_payload()
    types = [p.get_content_type() for p in parts]
    if len(parts) != 3 or types[0] != "text/plain" or types[1] != "message/delivery-status" or \
            types[2] not in ("message/rfc822", "text/rfc822-headers"):
        problems.append(f"parts {types}")
    else:
        groups = status_groups(parts[1])
        if "reporting-mta" not in groups[0]:
            problems.append("no Reporting-MTA")
        rcpt = groups[1] if len(groups) > 1 else {}
        if flat(rcpt.get("final-recipient", "")).lower().replace("; ", ";") != "rfc822;bob@example.org":
            problems.append(f"Final-Recipient {rcpt.get('final-recipient')}")
        if rcpt.get("action") != want_action(profile, kind):
            problems.append(f"Action {rcpt.get('action')}")
        if success:
            if rcpt.get("status") != "2.0.0":
                problems.append(f"Status {rcpt.get('status')}")
            if profile != "opensmtpd" and "bob@example.org" not in rcpt.get("original-recipient", "").lower():
                problems.append(f"Original-Recipient {rcpt.get('original-recipient')}")
            if types[2] != "text/rfc822-headers":
                problems.append(f"a success report returns the header only, not {types[2]}")
        diagnostic = flat(rcpt.get("diagnostic-code", ""))
        if profile == "postfix":
            want = "X-Postfix; connect to" if kind == "failed-refused" else "smtp; "
            if not diagnostic.startswith(want):
                problems.append(f"Diagnostic-Code {diagnostic!r}, want {want!r}...")
            if kind == "failed-reply" and "(in reply to RCPT TO command)" not in flat(parts[0].get_content()):
                problems.append("no '(in reply to RCPT TO command)' in the notification")
        if kind == "failed-refused" and diagnostic.lower().startswith("smtp;"):
            problems.append("smtp; for words no server said (RFC 3464 2.3.6)")
    want_subject = SUBJECT.get((profile, "failed" if kind.startswith("failed") else kind))
    if want_subject and msg["Subject"] != want_subject:
        problems.append(f"Subject {msg['Subject']!r}")
    if not msg["Message-ID"]:
        problems.append("no Message-ID")
    for p in problems:
        failures.append(f"{path.name}: {p}")


def main():
    if len(sys.argv) != 2:
        print("usage: check_dsn_email.py MTA_DSN_SAMPLES", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.argv[1], folder], check=True)
        files = sorted(pathlib.Path(folder).glob("*.eml"))
        failures = []
        for path in files:
            check(path, failures)
    if len(files) != 20:
        failures.append(f"{len(files)} samples, want 20 (4 profiles x 5)")
    for f in failures:
        print(f)
    print(f"{len(files)} DSNs read, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
