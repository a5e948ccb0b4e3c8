#!/usr/bin/env python3
"""The HTML report in a real browser: Debian's headless Chromium.

    browser_test.py MAILSIM SOURCE_DIR ARTEFACT_DIR [scenario ...]

For each scenario (default: tour, backup-mx, newsletter, newsletter-direct) it
writes the report with `mailsim run --report --stats`, then with Chromium:
  - loads the page as written and checks that nothing outside the file was
    requested (the network log) and that the Content-Security-Policy refused
    nothing (the console): the page's own script and style are the only ones,
    and they ran (the folding buttons are revealed);
  - loads a copy with a probe script added and checks the DOM (--dump-dom): the
    map and the sequence diagram are SVG, one lifeline per host of the scenario
    and of the trace, nothing wider than the 1280 px window; with a campaign,
    the "Delivery analytics" section renders (a table row per domain with the
    figures of the --stats file, a bar each, the listings, the curve, the
    bounce reasons), and without one there is none;
  - takes screenshots (whole page, and the map, the sequence diagram, the
    messages and the analytics alone) into ARTEFACT_DIR/<scenario>-*.png.
Exit status 77 (skipped) when no headless Chromium is installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

WIDTH = 1280
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]

failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + detail))
    if not ok:
        failures.append(what)


def browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(exe, url, work, extra, timeout=120):
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)
    cmd = [exe] + FLAGS + ["--user-data-dir=" + profile] + extra + [url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    shutil.rmtree(profile, ignore_errors=True)
    return done


PROBE = r"""
<script>
(function () {
  var d = document, out = {};
  out.scrollWidth = d.documentElement.scrollWidth;
  out.innerWidth = window.innerWidth;
  out.height = d.documentElement.scrollHeight;
  var wide = [];
  d.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > window.innerWidth + 0.5 && !el.closest('svg *'))
      wide.push(el.tagName + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') + ' right=' + Math.round(r.right));
  });
  out.wide = wide.slice(0, 10);
  out.lifelines = [].map.call(d.querySelectorAll('.seq-head g.lifeline.host'), function (g) { return g.getAttribute('data-host'); });
  out.others = d.querySelectorAll('.seq-head g.lifeline.others').length;
  out.dnsLifeline = d.querySelectorAll('.seq-head g.lifeline.dns').length;
  out.mapNodes = [].map.call(d.querySelectorAll('svg.map g.node'), function (g) { return g.getAttribute('data-host'); });
  out.seqSvgs = d.querySelectorAll('.seq svg.sq').length;
  out.articles = d.querySelectorAll('article.msg').length;
  var an = d.getElementById('analytics');
  out.analytics = null;
  if (an) {
    var bars = an.querySelector('svg.bars'), lead = an.querySelector('p.lead');
    out.analytics = {
      campaigns: an.querySelectorAll('article.campaign').length,
      rows: [].map.call(an.querySelectorAll('table.stats tbody tr'), function (tr) {
        var cells = {};
        tr.querySelectorAll('td[data-metric]').forEach(function (td) {
          cells[td.getAttribute('data-metric')] = Number(td.getAttribute('data-value'));
        });
        return { label: tr.querySelector('th').textContent, cells: cells };
      }),
      bars: an.querySelectorAll('svg.bars g.bar').length,
      barsWidth: bars ? Math.round(bars.getBoundingClientRect().width) : 0,
      parts: an.querySelectorAll('svg.bars rect').length,
      listed: an.querySelectorAll('svg.periods rect.p-listed').length,
      curves: an.querySelectorAll('svg.curve path.cdf').length,
      reasons: an.querySelectorAll('table.reasons tbody tr').length,
      lead: lead ? lead.textContent : ''
    };
  }
  var pre = d.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  d.body.appendChild(pre);
})();
</script>
"""


def probe_copy(html, path):
    without_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    with open(path, "w", encoding="utf-8") as f:
        f.write(without_policy.replace("</body>", PROBE + "</body>"))


def only(html, section_id, path):
    """A copy showing the header and one section: a screenshot of just that part."""
    style = ("<style>main > section:not(#%s), main > p.alert, nav.toc, p.description { display: none !important; }"
             " details.blk { } </style>" % section_id)
    without_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    with open(path, "w", encoding="utf-8") as f:
        f.write(without_policy.replace("</head>", style + "</head>"))


def trace_hosts(trace_path):
    hosts = []
    with open(trace_path, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            for h in (e.get("host"), e.get("peer")):
                if h and h not in ("sim", "dns") and h not in hosts:
                    hosts.append(h)
    return hosts


def scenario_hosts(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
    return sorted(json.loads(text)["hosts"].keys())


def external_requests(netlog_path, own_url):
    try:
        log = json.load(open(netlog_path, encoding="utf-8"))
    except (OSError, ValueError):
        text = open(netlog_path, encoding="utf-8", errors="replace").read()
        urls = re.findall(r'"url":"([^"]*)"', text)
        return [u for u in urls if not u.startswith(own_url)]
    urls = []
    for e in log.get("events", []):
        u = (e.get("params") or {}).get("url")
        if u and not u.startswith(own_url) and u not in urls:
            urls.append(u)
    return urls


def check_analytics(name, p, stats_path):
    """The "Delivery analytics" section against the --stats file of the same run."""
    campaigns = json.load(open(stats_path, encoding="utf-8"))["campaigns"]
    a = p["analytics"]
    if not campaigns:
        check(name + ": no analytics section without a campaign", a is None)
        return
    check(name + ": the analytics section renders", a is not None)
    if a is None:
        return
    c = campaigns[0]
    check(name + ": one article per campaign", a["campaigns"] == len(campaigns))
    rows = {r["label"]: r["cells"] for r in a["rows"]}
    want = {d["domain"]: d for d in c["domains"]}
    want["all domains"] = c["total"]
    check(name + ": a table row per receiving domain and the total", sorted(rows) == sorted(want),
          "got %s, want %s" % (sorted(rows), sorted(want)))
    wrong = []
    for label, cells in rows.items():
        for metric, value in cells.items():
            if metric.startswith("time_to_delivery_"):
                expected = want.get(label, {}).get("time_to_delivery_ms", {}).get(metric[17:20])
            else:
                expected = want.get(label, {}).get(metric)
            if expected != value:
                wrong.append("%s %s: %s, --stats %s" % (label, metric, value, expected))
    check(name + ": the table's figures are those of --stats", not wrong and rows, "; ".join(wrong[:5]))
    check(name + ": a stacked bar per domain and the total", a["bars"] == len(want) and a["parts"] >= len(want),
          "%d bars, %d parts" % (a["bars"], a["parts"]))
    check(name + ": the bars fit the window", 0 < a["barsWidth"] <= WIDTH, str(a["barsWidth"]))
    check(name + ": one bar per DNSBL listing", a["listed"] == len(c["listings"]), str(a["listed"]))
    check(name + ": the time-to-delivery curve", a["curves"] == (1 if c["total"]["time_to_delivery_ms"]["count"] > 1 else 0))
    check(name + ": the top bounce reasons", a["reasons"] == min(5, len(c["total"]["bounce_reasons"])), str(a["reasons"]))
    check(name + ": the lead-in counts the recipients", ("Of %s recipients" % format(c["total"]["sent"], ",")) in a["lead"],
          a["lead"][:120])


def one_scenario(exe, mailsim, source, artefacts, name, work):
    out = os.path.join(work, name)
    stats = os.path.join(work, name + ".stats.json")
    done = subprocess.run([mailsim, "run", os.path.join(source, "scenarios", name + ".json"), "--quiet",
                           "--report", out, "--stats", stats], capture_output=True, text=True)
    check(name + ": mailsim run --report exits 0", done.returncode == 0, done.stderr.strip())
    page = os.path.join(out, name + ".html")
    if not os.path.exists(page):
        check(name + ": the page exists", False)
        return
    html = open(page, encoding="utf-8").read()
    url = "file://" + page

    netlog = os.path.join(work, name + ".netlog.json")
    shot = os.path.join(artefacts, name + "-page.png")
    first = chromium(exe, url, work, ["--window-size=%d,2400" % WIDTH, "--screenshot=" + shot, "--log-net-log=" + netlog])
    check(name + ": page screenshot", os.path.exists(shot), first.stderr[-400:])
    requests = external_requests(netlog, url)
    check(name + ": no resource requested outside the file", not requests, ", ".join(requests[:5]))
    refused = [l for l in first.stderr.splitlines() if "Content Security Policy" in l or "Refused to" in l]
    check(name + ": the Content-Security-Policy refused nothing", not refused, refused[0] if refused else "")

    dom = chromium(exe, url, work, ["--window-size=%d,2400" % WIDTH, "--dump-dom"]).stdout
    check(name + ": the page's script ran (folding buttons revealed)",
          '<p id="seq-tools">' in dom, "the #seq-tools paragraph is still hidden")

    probe_path = os.path.join(out, name + ".probe.html")
    probe_copy(html, probe_path)
    dom = chromium(exe, "file://" + probe_path, work, ["--window-size=%d,2400" % WIDTH, "--dump-dom"]).stdout
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    check(name + ": the probe ran", m is not None)
    if not m:
        return
    p = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    check(name + ": nothing is wider than %d px" % WIDTH, p["scrollWidth"] <= WIDTH and not p["wide"],
          "scrollWidth %s, %s" % (p["scrollWidth"], p["wide"]))
    want = set(scenario_hosts(os.path.join(source, "scenarios", name + ".json"))) | set(
        trace_hosts(os.path.join(out, name + ".trace.jsonl")))
    got = p["lifelines"]
    check(name + ": one lifeline per host (%d)" % len(want), sorted(got) == sorted(want) and len(got) == len(set(got)),
          "got %s, want %s" % (sorted(got), sorted(want)))
    check(name + ": one DNS lifeline", p["dnsLifeline"] == 1)
    check(name + ": the sequence diagram is SVG", p["seqSvgs"] > 1)
    check(name + ": the map has a box per host", set(want) <= set(p["mapNodes"]), str(p["mapNodes"]))
    check(name + ": at least one message view", p["articles"] >= 1)
    check_analytics(name, p, stats)

    for section in ("map", "sequence", "messages") + (("analytics",) if p["analytics"] else ()):
        part = os.path.join(out, name + "." + section + ".html")
        only(html, section, part)
        path = os.path.join(artefacts, "%s-%s.png" % (name, section))
        height = 1600 if section != "sequence" else 3000
        chromium(exe, "file://" + part, work, ["--window-size=%d,%d" % (WIDTH, height), "--screenshot=" + path])
        check("%s: screenshot of the %s" % (name, section), os.path.exists(path))


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    mailsim, source, artefacts = sys.argv[1:4]
    names = sys.argv[4:] or ["tour", "backup-mx", "newsletter", "newsletter-direct"]
    exe = browser()
    if not exe:
        print("skipped: no headless Chromium (install chromium-headless-shell)")
        return 77
    os.makedirs(artefacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="report-browser-")
    try:
        for name in names:
            one_scenario(exe, os.path.abspath(mailsim), source, os.path.abspath(artefacts), name, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d checks failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
