#!/usr/bin/env python3
"""The mailsim command line as cli.md promises it: exit statuses, error
messages, outputs.  Usage: cli_test.py MAILSIM REPO_ROOT.  Prints one line
per check and 'N passed, N failed' last; exits 1 on any failure."""
import json
import mailbox
import os
import subprocess
import sys
import tempfile
import xml.dom.minidom

MAILSIM, ROOT = sys.argv[1], sys.argv[2]
results = []


def run(*args, cwd=ROOT):
    p = subprocess.run([MAILSIM, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as tmp:
    rc, out, _ = run("--help")
    check("--help exits 0 and lists every command", rc == 0 and all(c in out for c in ("run", "check", "serve", "dns", "spf", "auth")), out)
    rc, out, _ = run("--version")
    check("--version exits 0", rc == 0 and out.startswith("mailsim "), out)
    rc, _, _ = run()
    check("no command is bad usage (2)", rc == 2)
    rc, _, err = run("fly")
    check("an unknown command is bad usage (2)", rc == 2 and "unknown command" in err, err)
    rc, _, err = run("run", "scenarios/tour.json", "--bogus")
    check("an unknown option is bad usage (2)", rc == 2 and "--bogus" in err, err)

    bad = os.path.join(tmp, "syntax.json")
    write(bad, '{\n  "scenario": "x",\n  "title": "t",\n  "hosts": {,\n}\n')
    rc, out, err = run("run", bad)
    check("a JSON syntax error exits 2 naming file, line and column",
          rc == 2 and f"{bad}:4:" in err and out == "", err)

    unknown = os.path.join(tmp, "unknown.json")
    write(unknown, json.dumps({"scenario": "x", "title": "t",
                               "hosts": {"mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"],
                                                             "mailboxs": ["bob@example.org"]}}}))
    rc, out, err = run("run", unknown)
    check("an unknown key exits 2 with one message naming file and JSON pointer",
          rc == 2 and unknown in err and "/hosts/mx1.example.org/mailboxs" in err and len(err.strip().splitlines()) == 1
          and out == "", err)

    badip = os.path.join(tmp, "badip.json")
    write(badip, json.dumps({"scenario": "x", "title": "t", "hosts": {"mx1.example.org": {"ip": "300.1.2.3"}}}))
    rc, _, err = run("run", badip)
    check("a malformed IP exits 2 naming /hosts/mx1.example.org/ip", rc == 2 and "/hosts/mx1.example.org/ip" in err, err)

    rc, out, err = run("run", os.path.join(tmp, "missing.json"))
    check("a missing scenario file exits 2", rc == 2, err)

    # A number no double can hold: a load error with its pointer (exit 2), and
    # `check` reports ERROR for that file and goes on with the others.
    batch = os.path.join(tmp, "batch")
    os.mkdir(batch)
    write(os.path.join(batch, "a-overflow.json"), '{"scenario": "overflow", "title": "t", "seed": 1e400, "hosts": {}}')
    write(os.path.join(batch, "b-good.json"), open(os.path.join(ROOT, "scenarios", "local-delivery.json")).read())
    rc, out, err = run("run", os.path.join(batch, "a-overflow.json"))
    check("a number out of range exits 2 naming file and pointer",
          rc == 2 and "a-overflow.json: /seed: a number out of range" in err and out == "", err)
    rc, out, err = run("check", batch)
    check("check reports ERROR for an unloadable file and goes on with the next",
          rc == 1 and "ERROR a-overflow" in out and "PASS local-delivery" in out and "1 passed, 1 failed" in out,
          out + err)

    trace1, trace2 = os.path.join(tmp, "t1.jsonl"), os.path.join(tmp, "t2.jsonl")
    report, maildir = os.path.join(tmp, "report"), os.path.join(tmp, "maildir")
    rc, out, err = run("run", "scenarios/tour.json", "--trace", trace1, "--report", report, "--maildir", maildir)
    lines = out.strip().splitlines()
    check("run tour exits 0 with the summary last", rc == 0 and lines[-1].endswith("passed, 0 failed"), out[-500:] + err)
    check("run prints a PASS line per expectation", any(l.startswith("PASS ") for l in lines), out[-300:])
    rc, _, _ = run("run", "scenarios/tour.json", "--trace", trace2, "--quiet")
    same = open(trace1, "rb").read() == open(trace2, "rb").read()
    check("the same scenario and seed give a byte-identical trace", rc == 0 and same)
    events = [json.loads(l) for l in open(trace1)]
    check("the trace starts with sim.start and ends with sim.end",
          events[0]["event"] == "sim.start" and events[-1]["event"] == "sim.end")
    check("every event has seq, t, host, agent, event first",
          all(list(e.keys())[:5] == ["seq", "t", "host", "agent", "event"] for e in events))
    check("seq counts 0, 1, 2, ...", [e["seq"] for e in events] == list(range(len(events))))
    rc, _, _ = run("run", "scenarios/tour.json", "--trace", trace2, "--quiet", "--seed", "99")
    check("--seed changes the run (another seed)", rc in (0, 1))
    check("--report writes timeline, trace and HTML",
          all(os.path.exists(os.path.join(report, "tour" + s)) for s in (".timeline.txt", ".trace.jsonl", ".html")))
    box = mailbox.Maildir(os.path.join(maildir, "mx1.example.org", "bob@example.org"), create=False)
    msgs = list(box)
    check("--maildir writes mailboxes Python's mailbox module reads (bob fetched and deleted his)", len(msgs) == 0)
    alice = mailbox.Maildir(os.path.join(maildir, "mail.sender.test", "alice@sender.test"), create=False)
    check("--maildir writes every mailbox, empty ones too", len(list(alice)) == 0)
    page = open(os.path.join(report, "tour.html"), encoding="utf-8").read()
    check("--report shows the copy bob fetched and deleted (what the LDA filed)", "Return-Path: &lt;alice@sender.test&gt;" in page)

    block = lines.index("What became of each message:") if "What became of each message:" in lines else -1
    check("run ends with what became of each message, before the expectation lines",
          block > 0 and lines[block + 1].startswith("  hello ") and lines[block + 2].split()[0] == "delivered"
          and "on mx1.example.org after" in lines[block + 2] and "attempts" in lines[block + 2]
          and lines[block + 4].startswith("PASS "), "\n".join(lines[block:block + 5]))
    check("the narration numbers sessions", any("[s2] >>> EHLO mail.sender.test" in l for l in lines), out[:800])
    check("the machine that fetches bob's mail is named after him",
          any("bob-mua.example.org" in l and "fetched 1 message(s) for bob@example.org" in l for l in lines))
    rc, fout, _ = run("run", "scenarios/tour.json", "--follow", "hello")
    flines = fout.strip().splitlines()
    check("--follow narrates only that message's journey (no POP3 fetch), then its outcome and the summary",
          rc == 0 and 10 < len(flines) < len(lines) and not any("pop3" in l for l in flines)
          and any("filed into mailbox bob@example.org" in l for l in flines) and flines[-1].endswith("passed, 0 failed"),
          fout[-600:])
    rc, mout, _ = run("run", "scenarios/tour.json", "--follow", "<1.tour@sender.test>")
    check("--follow also takes a Message-ID", rc == 0 and mout.splitlines()[1:] == fout.splitlines()[1:], mout[:400])
    rc, _, err = run("run", "scenarios/tour.json", "--follow", "nope")
    check("--follow with an id the scenario lacks is a usage error naming its ids", rc == 2 and "hello" in err, err)
    dnsbl = os.path.join(tmp, "dnsbl")
    rc, _, _ = run("run", "scenarios/dnsbl-blocked.json", "--quiet", "--report", dnsbl)
    page = open(os.path.join(dnsbl, "dnsbl-blocked.html"), encoding="utf-8").read()
    check("the map's DNS box names the DNSBL operator and the address it lists",
          rc == 0 and "DNSBL operator: bl.dnsbl.test lists 192.0.2.25" in page)
    rc, qout, _ = run("run", "scenarios/tour.json", "--quiet")
    check("--quiet leaves out the narration and the outcome block",
          rc == 0 and "What became" not in qout and qout.splitlines()[0].startswith("PASS "), qout[:300])

    junk_dir = os.path.join(tmp, "junk-maildir")
    rc, out, err = run("run", "scenarios/inbox-or-junk.json", "--maildir", junk_dir, "--quiet")
    bob = mailbox.Maildir(os.path.join(junk_dir, "mx.example.org", "bob@example.org"), create=False)
    folders = bob.list_folders()
    check("--maildir writes Maildir++ folders that mailbox.Maildir lists (Junk among them)",
          rc == 0 and "Junk" in folders and os.path.isdir(os.path.join(junk_dir, "mx.example.org", "bob@example.org", ".Junk")),
          str(folders) + err)
    inbox_subjects = [m["Subject"] for m in bob]
    junk = bob.get_folder("Junk")
    junk_msgs = list(junk)
    check("the plain newsletter is in INBOX, the shouting one in .Junk with X-Spam-Flag: YES",
          inbox_subjects == ["Shop news for November"] and len(junk_msgs) == 1
          and junk_msgs[0]["X-Spam-Flag"] == "YES" and junk_msgs[0]["Subject"].startswith("WIN CASH NOW"),
          str(inbox_subjects) + str([dict(m) for m in junk_msgs]))

    failing = os.path.join(tmp, "failing.json")
    tour = open(os.path.join(ROOT, "scenarios/tour.json")).read()
    doc = json.loads(tour)
    doc["expect"] = [{"delivered": {"to": "alice@sender.test"}}]
    write(failing, json.dumps(doc))
    rc, out, _ = run("run", failing, "--quiet")
    check("a failing expectation exits 1 with a FAIL line and the summary",
          rc == 1 and "FAIL " in out and out.strip().endswith("0 passed, 1 failed"), out)

    junit = os.path.join(tmp, "junit.xml")
    rc, out, _ = run("check", "scenarios/tour.json", failing, "--junit", junit)
    dom = xml.dom.minidom.parse(junit)
    cases = dom.getElementsByTagName("testcase")
    check("check exits 1 when one fails, with the summary line", rc == 1 and out.strip().endswith("1 passed, 1 failed"), out)
    check("check --junit writes one testcase per scenario, failures with reasons",
          len(cases) == 2 and len(dom.getElementsByTagName("failure")) == 1)
    reports = os.path.join(tmp, "reports")
    rc, out, _ = run("check", "scenarios/tour.json", "scenarios/backup-mx.json", "--report", reports)
    check("check --report writes one report per scenario",
          rc == 0 and all(os.path.exists(os.path.join(reports, n + s)) for n in ("tour", "backup-mx")
                          for s in (".timeline.txt", ".trace.jsonl", ".html")), out)
    page = open(os.path.join(reports, "backup-mx.html"), encoding="utf-8").read()
    check("the report's map gives each host its roles from the scenario and its DNS",
          all(r in page for r in ("MSA: port 587 with AUTH", "MX 10 for example.org", "backup MX 20 for example.org",
                                  "LDA: bob@example.org", "refuses connections")), page[:200])

    rc, out, _ = run("dns", "scenarios/tour.json", "example.org", "MX")
    check("dns prints the status first and the answer as dig does",
          rc == 0 and out.splitlines()[0] == "NOERROR" and "example.org.\t\t3600\tIN\tMX\t10 mx1.example.org." in out, out)
    rc, out, _ = run("dns", "scenarios/tour.json", "nowhere.example")
    check("dns says NXDOMAIN for a name that does not exist", rc == 0 and out.splitlines()[0] == "NXDOMAIN", out)
    rc, out, _ = run("spf", "scenarios/spf-forgery.json", "--ip", "198.51.100.25", "--mail-from", "ceo@example.com")
    check("spf prints pass first for the real sender", rc == 0 and out.splitlines()[0] == "pass", out)
    rc, out, _ = run("spf", "scenarios/spf-forgery.json", "--ip", "203.0.113.66", "--mail-from", "ceo@example.com")
    check("spf prints fail first for a forger, then the explanation", rc == 0 and out.splitlines()[0] == "fail", out)
    rc, _, _ = run("spf", "scenarios/spf-forgery.json", "--ip", "not-an-ip", "--mail-from", "a@b.example")
    check("spf with a bad --ip is bad usage (2)", rc == 2)
    authdir = os.path.join(tmp, "auth-maildir")
    rc, _, _ = run("run", "scenarios/dkim-dmarc-pass.json", "--maildir", authdir)
    signed = os.path.join(authdir, "mx.example.org", "bob@example.org", "new")
    signed = os.path.join(signed, sorted(os.listdir(signed))[0]) if os.path.isdir(signed) else ""
    rc, out, _ = run("auth", "scenarios/dkim-dmarc-pass.json", "--message", signed, "--ip", "192.0.2.25",
                     "--host", "mx.example.org")
    lines = out.splitlines()
    check("auth prints spf=, dkim=, dmarc= first for a signed message",
          rc == 0 and lines[:3] == ["spf=pass", "dkim=pass header.d=sender.test header.s=s1",
                                    "dmarc=pass p=reject header.from=sender.test"], out)
    check("auth ends with the Authentication-Results field", "Authentication-Results: mx.example.org;" in out, out)
    tampered = os.path.join(tmp, "tampered.eml")
    if signed:
        write(tampered, open(signed).read().replace("the minutes are below", "the minutes are BELOW"))
    rc, out, _ = run("auth", "scenarios/dkim-dmarc-pass.json", "--message", tampered, "--ip", "203.0.113.9")
    lines = out.splitlines()
    check("auth: a changed body fails DKIM, and without SPF DMARC fails with p=reject",
          rc == 0 and lines[0] == "spf=fail" and lines[1].startswith("dkim=fail (body hash did not verify)")
          and lines[2].startswith("dmarc=fail p=reject"), out)
    rc, _, err = run("auth", "scenarios/dkim-dmarc-pass.json", "--message", os.path.join(tmp, "none.eml"),
                     "--ip", "192.0.2.25")
    check("auth with an unreadable --message is bad usage (2)", rc == 2 and "cannot read" in err, err)
    rc, _, err = run("auth", "scenarios/dkim-dmarc-pass.json", "--message", tampered, "--ip", "192.0.2.25",
                     "--host", "nowhere.test")
    check("auth with an unknown --host is bad usage (2)", rc == 2, err)
    stats = os.path.join(tmp, "spring.json")
    rc, out, _ = run("run", "scenarios/campaign-stale-list.json", "--stats", stats)
    lines = out.splitlines()
    check("a campaign scenario prints its table instead of the narration, then the expectations",
          rc == 0 and lines[1].startswith("campaign spring: 200 sent, 185 delivered") and "smtp" not in out.lower().split("campaign spring")[0]
          and "What became" not in out and out.strip().endswith("10 passed, 0 failed") and len(lines) < 30, out[:600])
    doc = json.load(open(stats)) if os.path.exists(stats) else {}
    total = doc.get("campaigns", [{}])[0].get("total", {}) if doc else {}
    check("--stats writes the analytics as JSON",
          doc.get("scenario") == "campaign-stale-list" and total.get("sent") == 200 and total.get("bounced_hard") == 10
          and total.get("time_to_delivery_ms", {}).get("count") == 185, json.dumps(doc)[:300])
    rc, out, _ = run("run", "scenarios/campaign-stale-list.json", "--verbose")
    check("--verbose keeps the narration of a campaign scenario and adds the table",
          rc == 0 and "EHLO" in out and "campaign spring: 200 sent" in out, out[:300])
    rc, _, err = run("serve", "scenarios/tour.json", "--listen", "0.0.0.0")
    check("serve refuses a non-loopback --listen with exit 2", rc == 2, err)

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
