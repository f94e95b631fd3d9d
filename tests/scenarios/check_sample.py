#!/usr/bin/env python3
"""Runs kmsdiag over one sample fleet and compares its findings with the sample's expected.yaml.

    check_sample.py --kmsdiag BIN --rules DIR samples/<case>    # one scenario
    check_sample.py --kmsdiag BIN --rules DIR --all samples     # the README's `kmsdiag analyze samples/`

A scenario passes when the set of causes reported at warning or worse equals `expect` exactly, every
listed severity and explained_by matches, an entry's `findings: N` is the number of findings of its cause
(any severity: one cause about one subject is one finding, whichever rules and sources show it), every text an
entry `says` is in the explanation of one of its cause's findings, every `info` cause is reported at info
level, no explanation says "0 machines" or calls a machine "(unknown)" (command output that does not name its
machine is named by where it is), and the exit code is 1 with findings / 0 without (2 and 3 mean an input
problem: samples must read cleanly).
An optional `inputs` flow list (`name=format`, `name=-` for a file that must be skipped) pins how every
file is read: each input kmsdiag lists (archives aside) must end in one listed name, read ones with
records. Python standard library only, so expected.yaml is read by the small parser below, which accepts
the subset the samples use: `description`, `expect` (list of maps or `[]`), `info` and `inputs` (flow lists);
`says` is a flow list of JSON strings (they may hold commas).
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys

WARNING_OR_WORSE = {"warning", "error", "critical"}
# How an explanation used to word a machine its records do not name (slmgr output).
UNNAMED_MACHINE_WORDING = [re.compile(p) for p in (r"\b0 machines\b", r"^\(unknown\)", r"\bon \(unknown\)",
                                                   r"\(\(unknown\)\)", r"machines \(\)")]


def _scalar(text):
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("#"):
        return ""
    if " #" in text:
        text = text[:text.index(" #")].rstrip()
    if text.startswith("[\"") and text.endswith("]"):
        return json.loads(text)
    if text.startswith("[") and text.endswith("]"):
        return [item.strip() for item in text[1:-1].split(",") if item.strip()]
    return text


def read_expected(path):
    """Parses expected.yaml; raises ValueError naming the line on anything outside the subset."""
    doc = {"description": "", "expect": [], "info": [], "inputs": []}
    current = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            key, sep, value = line.partition(":")
            if not sep or key not in doc:
                raise ValueError(f"{path}:{number}: expected description, expect, info or inputs")
            value = _scalar(value)
            doc[key] = value if value != "" else doc[key]
            current = key
            continue
        item = line.strip()
        if current != "expect":
            raise ValueError(f"{path}:{number}: only `expect` takes indented entries")
        if item.startswith("- "):
            doc["expect"].append({})
            item = item[2:]
        if not doc["expect"]:
            raise ValueError(f"{path}:{number}: entry field before the first `- cause:`")
        key, sep, value = item.partition(":")
        if not sep or key.strip() not in ("cause", "severity", "explained_by", "findings", "says"):
            raise ValueError(f"{path}:{number}: entries take cause, severity, explained_by, findings and says")
        value = _scalar(value)
        if key.strip() == "findings":
            if not isinstance(value, str) or not value.isdigit():
                raise ValueError(f"{path}:{number}: findings takes a number")
            value = int(value)
        doc["expect"][-1][key.strip()] = value
    for entry in doc["expect"]:
        if "cause" not in entry:
            raise ValueError(f"{path}: every expect entry needs a cause")
    return doc


def run_kmsdiag(args, paths, fmt):
    command = [args.kmsdiag, "--rules", args.rules, "analyze", *paths, "--no-color"]
    if fmt:
        command += ["--format", fmt]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return command, proc


def failure(command, proc, problems):
    print(f"FAIL: {' '.join(command)}")
    for p in problems:
        print(f"  - {p}")
    if proc.stderr.strip():
        print("stderr:\n" + proc.stderr.rstrip())
    return 1


def check_inputs(listed, inputs):
    """Every input kmsdiag reports (archives aside) must match one `name=format` entry."""
    wanted = dict(entry.rsplit("=", 1) for entry in listed)
    if not wanted:
        return []
    problems, seen = [], set()
    for i in inputs:
        if i.get("format") == "zip":
            continue
        path = i.get("path", "")
        name = next((n for n in wanted if path.endswith("/" + n) or path.endswith("!" + n)), None)
        if name is None:
            problems.append(f"input {path} is not listed in inputs")
            continue
        seen.add(name)
        got = i.get("format") or "-"
        if got != wanted[name]:
            problems.append(f"input {path}: format {got} ({i.get('skipped') or 'read'}), expected {wanted[name]}")
        elif got != "-" and not i.get("records"):
            problems.append(f"input {path}: read as {got} but gave no records")
        if i.get("problems"):
            problems.append(f"input {path}: {len(i['problems'])} problem(s)")
    problems += [f"listed input {n} not reported" for n in sorted(set(wanted) - seen)]
    return problems


def check_sample(args, sample):
    expected = read_expected(sample / "expected.yaml")
    # The logs only: expected.yaml itself is no input, and kmsdiag counts an unknown file named on the
    # command line as one it could not read. scenario.all covers analysing a whole folder. A case without
    # host/ and clients/ (a customer's bundle) is its own evidence: every file but expected.yaml and README.md.
    logs = [str(d) for d in (sample / "host", sample / "clients") if d.is_dir()]
    if not logs:
        logs = [str(p) for p in sorted(sample.iterdir()) if p.name not in ("expected.yaml", "README.md")]
    command, proc = run_kmsdiag(args, logs, "json")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return failure(command, proc, [f"exit {proc.returncode}; stdout is not JSON ({e}): {proc.stdout[:400]!r}"])
    findings = report.get("findings", []) if isinstance(report, dict) else []
    by_cause = {}
    for f in findings:
        by_cause.setdefault(f.get("cause", ""), []).append(f)

    problems = []
    got = {c for c, fs in by_cause.items() if any(f.get("severity") in WARNING_OR_WORSE for f in fs)}
    want = {e["cause"] for e in expected["expect"]}
    for cause in sorted(want - got):
        problems.append(f"missing cause {cause} (expected at warning or worse)")
    for cause in sorted(got - want):
        sev = sorted({f.get("severity") for f in by_cause[cause]})
        problems.append(f"unexpected cause {cause} ({'/'.join(sev)}): "
                        + "; ".join(f.get("title", "") for f in by_cause[cause]))
    for entry in expected["expect"]:
        serious = [f for f in by_cause.get(entry["cause"], []) if f.get("severity") in WARNING_OR_WORSE]
        if not serious:
            continue
        if "severity" in entry and all(f.get("severity") != entry["severity"] for f in serious):
            problems.append(f"{entry['cause']}: severity {[f.get('severity') for f in serious]}, "
                            f"expected {entry['severity']}")
        if "explained_by" in entry:
            wanted = set(entry["explained_by"])
            seen = [set(f.get("explained_by") or []) for f in serious]
            if wanted not in seen:
                problems.append(f"{entry['cause']}: explained_by {[sorted(s) for s in seen]}, "
                                f"expected {sorted(wanted)}")
        for text in entry.get("says", []):
            if not any(text in f.get("explanation", "") for f in serious):
                problems.append(f"{entry['cause']}: no explanation says {text!r}: "
                                + " | ".join(f.get("explanation", "") for f in serious))
    for entry in expected["expect"]:
        if "findings" in entry and len(by_cause.get(entry["cause"], [])) != entry["findings"]:
            found = by_cause.get(entry["cause"], [])
            problems.append(f"{entry['cause']}: {len(found)} findings, expected {entry['findings']}: "
                            + "; ".join(f"{'+'.join(f.get('rule_ids') or [f.get('rule_id', '')])} "
                                        f"({f.get('machine_total')} machines)" for f in found))
    for f in findings:
        text = f.get("explanation", "")
        for wording in UNNAMED_MACHINE_WORDING:
            if wording.search(text):
                problems.append(f"{f.get('rule_id')}: explanation says {wording.search(text).group(0)!r}: {text[:160]}")
    for cause in expected["info"]:
        if not any(f.get("severity") == "info" for f in by_cause.get(cause, [])):
            problems.append(f"missing info-level cause {cause}")
    problems += check_inputs(expected["inputs"], report.get("inputs", []))
    want_rc = 1 if want else 0
    if proc.returncode != want_rc:
        problems.append(f"exit code {proc.returncode}, expected {want_rc}")

    if problems:
        print(f"sample: {sample.name}: {expected['description']}")
        print(f"reported: {sorted((f.get('cause'), f.get('severity')) for f in findings)}")
        return failure(command, proc, problems)
    print(f"ok: {sample.name}: {sorted(want) or 'no findings'} (exit {proc.returncode})")
    return 0


def check_all(args, samples):
    command, proc = run_kmsdiag(args, [str(samples)], None)
    problems = []
    if proc.returncode not in (0, 1):
        problems.append(f"exit code {proc.returncode}, expected 0 or 1 (every sample must read cleanly)")
    if not proc.stdout.strip():
        problems.append("no report on stdout")
    if problems:
        return failure(command, proc, problems)
    print(f"ok: analyze {samples}: exit {proc.returncode}, {len(proc.stdout.splitlines())} report lines")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kmsdiag", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--all", action="store_true", help="analyse the whole folder as one run")
    parser.add_argument("path", type=pathlib.Path)
    args = parser.parse_args()
    return check_all(args, args.path) if args.all else check_sample(args, args.path)


if __name__ == "__main__":
    sys.exit(main())
