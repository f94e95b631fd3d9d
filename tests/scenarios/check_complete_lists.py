#!/usr/bin/env python3
"""Complete lists (issue 11, item 4): a generated fleet of 120 clones sharing 2 CMIDs (60 machines each, more
than any sample a person reads). The JSON report must name every machine and every CMID; the terminal report
must stay short, sampling each list with "… and N more".

    check_complete_lists.py --kmsdiag build/kmsdiag --rules rules --tools tests/tools
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kmsdiag", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("--tools", required=True)
    a = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        made = subprocess.run([sys.executable, str(pathlib.Path(a.tools) / "make_clone_fleet.py"), tmp,
                               "--machines", "120", "--images", "2"], check=True, capture_output=True, text=True)
        lines = made.stdout.split()
        cmids, names = lines[:2], lines[2:]
        assert len(names) == 120, len(names)
        run = [a.kmsdiag, "--rules", a.rules, "analyze", "--no-color", tmp]
        doc = json.loads(subprocess.run(run + ["--format", "json"], capture_output=True, text=True).stdout)
        text = subprocess.run(run, capture_output=True, text=True).stdout

    failures = []
    clones = [f for f in doc["findings"] if f["cause"] == "duplicate-cmid"]
    if len(clones) != 1:
        failures.append(f"expected one duplicate-cmid finding, got {len(clones)}")
    else:
        f = clones[0]
        missing = sorted(set(names) - set(f["machines"]))
        if missing:
            failures.append(f"JSON machines lack {len(missing)} of the 120 clones, e.g. {missing[:3]}")
        if f["machine_total"] != 120:
            failures.append(f"machine_total {f['machine_total']}, expected 120")
        if sorted(f["lists"].get("cmid", [])) != sorted(cmids):
            failures.append(f"JSON lists.cmid {f['lists'].get('cmid')}, expected {cmids}")
    # The terminal names at most 5 of a list and says how many more.
    if "120 machines, first 5: " not in text or "… and 115 more" not in text:
        failures.append("terminal does not summarise the 120 machines as 'first 5 … and 115 more'")
    named = sum(text.count(n) for n in names)
    if named > 40:
        failures.append(f"terminal names clones {named} times: it should sample, not list")
    if len(text) > 16000:
        failures.append(f"terminal report is {len(text)} bytes: not short")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        print(text)
        return 1
    print(f"ok: JSON lists 120 machines and {len(cmids)} CMIDs; terminal {len(text)} bytes, {named} names shown")
    return 0


if __name__ == "__main__":
    sys.exit(main())
