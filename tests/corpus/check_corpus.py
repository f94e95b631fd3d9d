#!/usr/bin/env python3
"""Analyse one real export from ../shared/corpus the way its README says kmsdiag should conclude.

Usage: check_corpus.py KMSDIAG RULES_DIR FILE CASE [--via-evtxexport]
CASE is one of: healthy-client, no-kms-activity, empty-host-log.
With --via-evtxexport the .evtx is first converted with `evtxexport -f xml` (libevtx-utils), so the
XML reader is proven on the same real data as the EVTX reader.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def fail(msg, report=None):
    print("FAIL:", msg)
    if report is not None:
        print(json.dumps(report, indent=1)[:4000])
    sys.exit(1)


def main():
    kmsdiag, rules, path, case = sys.argv[1:5]
    via_export = "--via-evtxexport" in sys.argv[5:]
    if not os.path.exists(path):
        print(f"SKIP: {path} not found (../shared/corpus is not beside this checkout)")
        sys.exit(77)
    tmp = tempfile.mkdtemp()
    try:
        target = path
        if via_export:
            if not shutil.which("evtxexport"):
                print("SKIP: evtxexport (libevtx-utils) is not installed")
                sys.exit(77)
            # Keep the log's own file name: an empty KMS log is recognised by its name.
            target = os.path.join(tmp, os.path.basename(path) + ".xml")
            with open(target, "wb") as out:
                subprocess.run(["evtxexport", "-f", "xml", path], stdout=out, check=True)
        run = subprocess.run([kmsdiag, "--rules", rules, "analyze", target, "--format", "json"],
                             capture_output=True, text=True)
        if run.returncode not in (0, 1, 2):
            fail(f"exit code {run.returncode}; stderr: {run.stderr}")
        report = json.loads(run.stdout)
    finally:
        shutil.rmtree(tmp)

    findings = report["findings"]
    actionable = sorted({f["cause"] for f in findings if f["severity"] != "info"})
    info = sorted({f["cause"] for f in findings if f["severity"] == "info"})
    inputs = report["inputs"]
    kms = sum(i["kms_records"] or 0 for i in inputs)
    records = sum(i["records"] or 0 for i in inputs)
    # The one thing a real export may be reported for: it was copied while the service had it open
    # (spp-noise is: its header is marked dirty). That is an input problem, exit code 2.
    dirty = [p for i in inputs for p in i["problems"] if "file header is marked dirty" in json.dumps(p)]
    problems = sum(len(i["problems"]) for i in inputs) - len(dirty)
    expect_rc = 2 if dirty else 0
    print(f"{os.path.basename(path)}{' via evtxexport' if via_export else ''}: {records} records, "
          f"{kms} KMS events, actionable={actionable}, info={info}, exit={run.returncode}")
    if problems:
        fail("the real export was reported as damaged", report)

    if case == "healthy-client":
        # Two 12288/12289 exchanges, both successful: no warning-or-worse finding, and a rename of
        # the one machine between them must not look like cloned CMIDs.
        if records != 807 or kms < 4:
            fail(f"expected 807 records with the two KMS exchanges, got {records} / {kms}", report)
        if actionable or run.returncode != expect_rc:
            fail("a healthy client log produced warning-or-worse findings", report)
    elif case == "no-kms-activity":
        if not via_export and len(dirty) != 1:
            fail("the log copied while in use was not reported as such", report)
        if records != 2445:
            fail(f"expected 2445 records, got {records}", report)
        if actionable or "evidence-gap" not in info or run.returncode != expect_rc:
            fail("expected only an informational evidence-gap (no KMS activity)", report)
    elif case == "empty-host-log":
        if records != 0 or actionable != ["evidence-gap"] or run.returncode != 1:
            fail("expected an evidence-gap warning for the empty KMS host log", report)
    else:
        fail(f"unknown case {case}")
    print("ok")


if __name__ == "__main__":
    main()
