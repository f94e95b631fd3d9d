#!/usr/bin/env python3
"""The HTML report (kmsdiag analyze --format html) checked as a reader's browser shows it.

Cases (one ctest each):
  self_contained  the report of a sample loads nothing: no element or attribute that fetches (script, link,
                  img, SVG image/use, src, srcset, data, ...), no CSS url() or @import, and no http(s) address
                  but in links to documentation
  chromium        headless Chromium opens the report from a file:// URL with no proxy (so nothing can reach the
                  network) at 1280 and 800 pixels; a script the test adds (the report has none) checks the
                  structure and that nothing is wider than the window
  escaping        a file named like markup (`<img src=x onerror=alert(1)>`, quotes) shows as text in Chromium,
                  never as an element

Exits 77 (ctest: skipped) with a message when Chromium is not installed; CI installs it (.ci/install-deps).
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKIP = 77

# Run before the report's own Content-Security-Policy (it is inserted ahead of it), and writes its findings
# into the DOM for --dump-dom to carry out.
CHECK_SCRIPT = r"""
<script id="kmsdiag-test">
window.addEventListener('load', function () {
  var r = {};
  var first = document.body.firstElementChild;
  r.first_is_verdict = !!first && first.id === 'verdict' && first.textContent.trim().indexOf('Verdict:') === 0;
  var order = ['verdict', 'findings', 'timelines', 'machines', 'inputs'];
  var all = Array.prototype.slice.call(document.querySelectorAll('[id]')).map(function (e) { return e.id; });
  r.sections = order.filter(function (id) { return all.indexOf(id) >= 0; });
  r.sections_in_order = order.every(function (id, i) { return i === 0 || all.indexOf(order[i - 1]) < all.indexOf(id); });
  r.root_causes = document.querySelectorAll('#findings article.depth-0').length;
  r.symptoms = document.querySelectorAll('#findings article:not(.depth-0)').length;
  var evidence = document.querySelectorAll('#findings table.evidence');
  r.evidence_tables = evidence.length;
  r.empty_evidence_tables = Array.prototype.filter.call(evidence, function (t) {
    return t.querySelectorAll('tbody tr').length === 0; }).length;
  r.host_charts = document.querySelectorAll('#timelines figure.host-count svg').length;
  r.failure_charts = document.querySelectorAll('#timelines figure.failures svg').length;
  r.drawn_bars = Array.prototype.filter.call(document.querySelectorAll('#timelines svg rect'), function (b) {
    return b.getBBox().height > 0; }).length;
  r.threshold_lines = document.querySelectorAll('#timelines svg line.threshold').length;
  r.machine_rows = document.querySelectorAll('#machines tbody tr').length;
  r.input_rows = document.querySelectorAll('#inputs tbody tr').length;
  r.scripts = document.scripts.length;
  r.images = document.images.length;
  r.handlers = document.querySelectorAll('[onload],[onerror]').length;
  r.inner_width = window.innerWidth;
  r.document_width = document.documentElement.scrollWidth;
  r.overflowing = [];
  Array.prototype.forEach.call(document.querySelectorAll('body *'), function (e) {
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
      r.overflowing.push(e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth);
  });
  r.body_text = document.body.innerText;
  var out = document.createElement('pre');
  out.id = 'kmsdiag-check';
  out.textContent = JSON.stringify(r);
  document.body.appendChild(out);
});
</script>
"""

# Markup that fetches: text from the input has no `<` left, so only the report's own tags can match.
FETCHING_TAG = re.compile(r"^<(link|script|iframe|object|embed|image|use|img|audio|video|source)\b", re.I)
FETCHING_ATTRIBUTE = re.compile(r"\s(src|srcset|poster|data|background|xlink:href)\s*=", re.I)
DOC_LINK = re.compile(r'^<a rel="noreferrer" href="https://[^"]*">$')


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def render(args, inputs, out_dir):
    report = Path(out_dir) / "report.html"
    with open(report, "wb") as out:
        run = subprocess.run([args.kmsdiag, "--rules", args.rules, "analyze", "--format", "html", *inputs],
                             stdout=out, stderr=subprocess.PIPE, timeout=120)
    if run.returncode not in (0, 1, 2, 3):
        fail(f"kmsdiag exited {run.returncode}: {run.stderr.decode(errors='replace')}")
    return report


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    print("SKIP: Chromium is not installed (apt-get install chromium; .ci/install-deps installs it)")
    sys.exit(SKIP)


def in_chromium(chromium, report, width, work):
    """The DOM after the test's script ran, as Chromium dumps it, and that script's results."""
    text = report.read_text(encoding="utf-8")
    head = text.index("<head>") + len("<head>")
    page = Path(work) / f"checked-{width}.html"
    page.write_text(text[:head] + CHECK_SCRIPT + text[head:], encoding="utf-8")
    run = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-proxy-server", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={work}/profile-{width}",
         f"--window-size={width},900", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    dom = run.stdout.decode("utf-8", errors="replace")
    found = re.search(r'<pre id="kmsdiag-check">(.*?)</pre>', dom, re.S)
    if not found:
        fail(f"Chromium at {width}px: the check script left no result (exit {run.returncode}):\n"
             + run.stderr.decode(errors="replace")[-2000:])
    return dom, json.loads(html.unescape(found.group(1)))


def case_self_contained(args, work):
    report = render(args, [args.sample], work)
    text = report.read_text(encoding="utf-8")
    links = 0
    for tag in re.findall(r"<[A-Za-z!/][^>]*>", text):
        if FETCHING_TAG.search(tag) or FETCHING_ATTRIBUTE.search(tag):
            fail(f"the report loads something: {tag}")
        if re.search(r"https?:", tag, re.I):
            if not DOC_LINK.match(tag):
                fail(f"an address outside a documentation link: {tag}")
            links += 1
    sheet = text[text.index("<style>"):text.index("</style>")]
    if "url(" in sheet or "@import" in sheet:
        fail("the style sheet fetches")
    if "default-src 'none'" not in text:
        fail("the report has no Content-Security-Policy forbidding loads")
    print(f"ok: {len(text)} bytes, nothing loaded from anywhere, {links} documentation links")


def case_chromium(args, work):
    chromium = find_chromium()
    report = render(args, [args.sample], work)
    listed = subprocess.run([args.kmsdiag, "--rules", args.rules, "analyze", "--format", "json", args.sample],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    expected_inputs = len(json.loads(listed.stdout)["inputs"])
    for width in (1280, 800):
        _, r = in_chromium(chromium, report, width, work)
        problems = []
        if not r["first_is_verdict"]:
            problems.append("the verdict is not the first thing on the page")
        if r["sections"] != ["verdict", "findings", "timelines", "machines", "inputs"] or not r["sections_in_order"]:
            problems.append(f"sections missing or out of order: {r['sections']}")
        if r["root_causes"] < 1 or r["symptoms"] < 1:
            problems.append(f"{r['root_causes']} root causes and {r['symptoms']} symptoms shown")
        if r["evidence_tables"] < 1 or r["empty_evidence_tables"]:
            problems.append(f"{r['evidence_tables']} evidence tables, {r['empty_evidence_tables']} without rows")
        if r["host_charts"] < 1 or r["failure_charts"] != 1 or r["threshold_lines"] < 1 or r["drawn_bars"] < 2:
            problems.append(f"timelines: {r['host_charts']} host charts, {r['failure_charts']} failure charts, "
                            f"{r['threshold_lines']} threshold lines, {r['drawn_bars']} bars drawn")
        if r["machine_rows"] < 1:
            problems.append("no machine in the inventory")
        if r["input_rows"] != expected_inputs:
            problems.append(f"{r['input_rows']} input rows, the JSON report lists {expected_inputs}")
        if r["scripts"] != 1 or r["images"] != 0:
            problems.append(f"{r['scripts']} scripts (only the test's expected) and {r['images']} images")
        if r["document_width"] > r["inner_width"]:
            problems.append(f"the page is {r['document_width']}px wide in a {r['inner_width']}px window")
        if r["overflowing"]:
            problems.append("elements wider than their box: " + "; ".join(r["overflowing"][:10]))
        if problems:
            fail(f"at {width}px: " + " | ".join(problems))
        print(f"ok at {width}px: {r['root_causes']} root causes, {r['symptoms']} symptoms, "
              f"{r['evidence_tables']} evidence tables, {r['host_charts']} host charts, {r['drawn_bars']} bars, "
              f"{r['machine_rows']} machines, {r['input_rows']} inputs, page {r['document_width']}px "
              f"in {r['inner_width']}px")


def case_escaping(args, work):
    chromium = find_chromium()
    hostile = Path(work) / "bundle"
    hostile.mkdir()
    name = "<img src=x onerror=alert(1)> \"quoted\" 'name'.txt"
    sample_slmgr = Path(args.sample).parent / "ato-count-below-threshold/clients/PC-BR-014/slmgr-dlv.txt"
    shutil.copyfile(sample_slmgr, hostile / name)
    (hostile / "<svg onload=alert(2)>.txt").write_text("not a known format\n", encoding="utf-8")
    report = render(args, [str(hostile)], work)
    dom, r = in_chromium(chromium, report, 1280, work)
    if r["images"] != 0 or r["scripts"] != 1 or r["handlers"] != 0:
        fail(f"markup from file names became elements: {r['images']} images, {r['scripts']} scripts, "
             f"{r['handlers']} elements with event handlers")
    for shown in (name, "<svg onload=alert(2)>.txt"):
        if shown not in r["body_text"]:
            fail(f"the page does not show the file name {shown!r} as text")
    print("ok: hostile file names shown as text, no element made from them")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kmsdiag", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("case", choices=["self_contained", "chromium", "escaping"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kmsdiag-html-") as work:
        {"self_contained": case_self_contained, "chromium": case_chromium,
         "escaping": case_escaping}[args.case](args, work)


if __name__ == "__main__":
    main()
