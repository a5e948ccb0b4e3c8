"""mailsim sweep as users run it: a planted bug found, replayed and shrunk;
jobs, shards under GNU parallel, merging; usage errors.

usage: sweep_cli_test.py MAILSIM PLANTED_MAILSIM SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MAILSIM, PLANTED, ROOT = sys.argv[1:4]
SCENARIO = os.path.join(ROOT, "tests/sim/sweep/data/short-lifetime.json")
SEEDS = "1..100"
failures = []


def run(*args, program=MAILSIM, cwd=None):
    p = subprocess.run([program, *args], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
        if detail:
            print(detail)


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def planted_bug_is_found_replayed_and_shrunk(tmp):
    out = os.path.join(tmp, "planted.jsonl")
    code, text, err = run("sweep", SCENARIO, "--seeds", SEEDS, "--out", out, program=PLANTED)
    check("the planted bug fails the sweep (exit 1)", code == 1, text + err)
    check("it is named as a lost message", re.search(r"^FAIL short-lifetime seed \d+ \(\d+ faults\): lost: .*no DSN",
                                                      text, re.M) is not None, text)
    replay = re.search(r"^  replay: (mailsim run .*)$", text, re.M)
    check("a failing seed prints its replay command", replay is not None, text)
    check("it prints the events that show it", "  event: {" in text and '"event":"queue.bounce"' in text, text)
    shrunk = [int(n) for n in re.findall(r"^  shrunk to (\d+) faults? ", text, re.M)]
    check("every failing seed is shrunk to at most 3 faults", shrunk and max(shrunk) <= 3, text)
    check("the summary line closes the sweep", re.search(r"^100 seeds, [1-9]\d* failed$", text, re.M) is not None, text)
    failed = [r for r in records(out) if not r["ok"]]
    if not replay or not failed:
        return
    # The replay command, run by the same (planted) program, fails the same way.
    args = replay.group(1).split()[2:]
    code, text, err = run("run", *args, "--quiet", program=PLANTED, cwd=ROOT)
    check("the replay command fails the same invariant", code == 1 and "FAIL invariant lost" in text, text + err)
    # The shrunk schedule, pasted into the scenario's timeline, still fails.
    first = failed[0]
    with open(SCENARIO) as f:
        doc = json.loads("\n".join(l for l in f if not l.lstrip().startswith("//")))
    doc["timeline"] += first["shrunk"]
    pasted = os.path.join(tmp, "regression.json")
    with open(pasted, "w") as f:
        json.dump(doc, f)
    code, text, err = run("run", pasted, "--seed", str(first["seed"]), "--faults", "none", "--quiet", program=PLANTED)
    check("the shrunk timeline pasted into the scenario reproduces it", code == 1 and "FAIL invariant lost" in text,
          text + err)


def correct_program_holds(tmp):
    code, text, err = run("sweep", SCENARIO, "--seeds", SEEDS)
    check("the real program holds every invariant on the same seeds", code == 0 and "\n100 seeds, 0 failed\n" in text,
          text + err)
    check("it reports seeds/s", re.search(r"random faults, [\d.]+ seeds/s", text) is not None, text)


def jobs_and_shards(tmp):
    one, two = os.path.join(tmp, "one.jsonl"), os.path.join(tmp, "two.jsonl")
    run("sweep", SCENARIO, "--seeds", SEEDS, "--out", one)
    code, text, err = run("sweep", SCENARIO, "--seeds", SEEDS, "--jobs", "2", "--out", two)
    check("--jobs 2 gives the records of --jobs 1, in seed order", code == 0 and records(one) == records(two), err)
    if shutil.which("parallel") is None:
        check("GNU parallel is installed (Debian package parallel)", False)
        return
    shard = os.path.join(tmp, "shard{}.jsonl")
    p = subprocess.run(["parallel", "--will-cite", MAILSIM, "sweep", SCENARIO, "--seeds", SEEDS, "--shard", "{}/3",
                        "--out", shard, ":::", "1", "2", "3"], capture_output=True, text=True)
    check("three shards run under GNU parallel", p.returncode == 0, p.stdout + p.stderr)
    files = [shard.replace("{}", k) for k in "123"]
    code, text, err = run("sweep", "--merge", *files)
    check("--merge ends with the sweep's summary line", code == 0 and text.endswith("100 seeds, 0 failed\n"), text + err)
    seeds = sorted(r["seed"] for f in files for r in records(f))
    check("the shards cover every seed once", seeds == list(range(1, 101)), str(seeds))
    planted = [os.path.join(tmp, "p{}.jsonl".format(k)) for k in "12"]
    for k, f in zip("12", planted):
        run("sweep", SCENARIO, "--seeds", SEEDS, "--shard", k + "/2", "--out", f, "--no-shrink", program=PLANTED)
    code, text, err = run("sweep", "--merge", *planted)
    whole = sum(1 for r in records(os.path.join(tmp, "planted.jsonl")) if not r["ok"])
    check("--merge counts failed seeds and lists their replays (exit 1)",
          code == 1 and text.endswith("100 seeds, {} failed\n".format(whole)) and "failed: mailsim run" in text, text)


def lost_reply(tmp):
    # The fault reset at "accepted" in a scenario's own timeline: the run
    # passes its expectations (two copies), and a sweep counts the duplicate
    # in the window instead of failing it.
    lost = os.path.join(ROOT, "tests/sim/sweep/data/lost-reply.json")
    code, text, err = run("run", lost, "--quiet")
    check("a reset after the 250 to the dot delivers the message twice", code == 0, text + err)
    code, text, err = run("sweep", lost, "--faults", "none", "--seeds", "1..3")
    check("the sweep counts that duplicate in the window and holds",
          code == 0 and "0 deliveries" not in text and " 3 duplicates in the RFC 5321 section 6.1 window" in text
          and text.endswith("3 seeds, 0 failed\n"), text + err)


def crash_points(tmp):
    for name in ("backup-mx", "crash-restart", "tour"):
        code, text, err = run("sweep", os.path.join(ROOT, "scenarios", name + ".json"), "--crash-points")
        m = re.search(r"^(\d+) crash points tried \((\d+) skipped\), 0 failed$", text, re.M)
        check("--crash-points on {} tries every durable step and holds".format(name),
              code == 0 and m is not None and int(m.group(1)) >= 4, text + err)
    # --jobs, --out, --shard and --merge work on crash runs as on seeds.
    tour = os.path.join(ROOT, "scenarios", "tour.json")
    one, two = os.path.join(tmp, "crash1.jsonl"), os.path.join(tmp, "crash2.jsonl")
    code, whole, err = run("sweep", tour, "--crash-points", "--out", one)
    code2, text, err2 = run("sweep", tour, "--crash-points", "--jobs", "2", "--out", two)
    last = whole.strip().splitlines()[-1] if whole.strip() else ""
    check("--crash-points --jobs 2 prints the line of --jobs 1", code == 0 and code2 == 0 and text.endswith(last + "\n"),
          whole + text + err + err2)
    got = records(one) if os.path.exists(one) else []
    m = re.match(r"(\d+) crash points tried \((\d+) skipped\)", last)
    check("--crash-points --out writes one record per crash run",
          m is not None and len(got) == int(m.group(1)) + int(m.group(2)) and
          all("crash_point" in r and r["ok"] for r in got), str(got[:2]))
    check("--crash-points --jobs 2 gives the records of --jobs 1, in order",
          os.path.exists(two) and records(two) == got and [r["crash_point"]["index"] for r in got] == list(range(len(got))))
    shards = [os.path.join(tmp, "crash-shard{}.jsonl".format(k)) for k in "12"]
    for k, f in zip("12", shards):
        run("sweep", tour, "--crash-points", "--shard", k + "/2", "--out", f)
    code, text, err = run("sweep", "--merge", *shards)
    check("--merge of crash-point shards ends with the whole sweep's line", code == 0 and text.endswith(last + "\n"),
          text + err)
    indices = sorted(r["crash_point"]["index"] for f in shards for r in records(f))
    check("the crash-point shards cover every run once", indices == list(range(len(got))), str(indices))


def usage_errors(tmp):
    bad = os.path.join(tmp, "bad.jsonl")
    with open(bad, "w") as f:
        f.write("not json\n")
    for args in (["sweep", SCENARIO, "--shard", "0/3"], ["sweep", SCENARIO, "--faults", "some"],
                 ["sweep", SCENARIO, "--seeds", "5..1"], ["sweep", SCENARIO, "--jobs", "0"],
                 ["sweep", "--merge", bad], ["sweep", os.path.join(tmp, "missing.json")],
                 ["run", SCENARIO, "--faults", "lots"]):
        code, text, err = run(*args)
        check("exit 2 for " + " ".join(a.replace(tmp, "TMP").replace(ROOT, "ROOT") for a in args),
              code == 2 and err.strip() != "", err)


with tempfile.TemporaryDirectory() as tmp:
    planted_bug_is_found_replayed_and_shrunk(tmp)
    correct_program_holds(tmp)
    jobs_and_shards(tmp)
    lost_reply(tmp)
    crash_points(tmp)
    usage_errors(tmp)
print("{} failed".format(len(failures)))
sys.exit(1 if failures else 0)
