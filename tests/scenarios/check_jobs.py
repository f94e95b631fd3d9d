#!/usr/bin/env python3
"""The report does not depend on how many threads read the inputs: `kmsdiag analyze --jobs 1` and
`--jobs 2` (and 4) over the same inputs give byte-identical JSON (findings, facts, counts, inputs
with their problems), the same stderr problem lines and the same exit code.

    check_jobs.py --kmsdiag BIN --rules DIR INPUT...

Python standard library only.
"""

import argparse
import subprocess
import sys


def run(kmsdiag, rules, jobs, inputs):
    r = subprocess.run([kmsdiag, "--rules", rules, "analyze", "--jobs", str(jobs), *inputs, "--format", "json"],
                       capture_output=True, text=True)
    if r.returncode > 3:
        sys.exit(f"--jobs {jobs}: exit code {r.returncode}: {r.stderr[:2000]}")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kmsdiag", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()
    one = run(args.kmsdiag, args.rules, 1, args.inputs)
    if '"findings"' not in one.stdout:
        sys.exit("--jobs 1 printed no report")
    for jobs in (2, 4):
        other = run(args.kmsdiag, args.rules, jobs, args.inputs)
        for what, a, b in (("exit code", one.returncode, other.returncode), ("report", one.stdout, other.stdout),
                           ("problem lines", one.stderr, other.stderr)):
            if a != b:
                sys.exit(f"--jobs {jobs}: the {what} differs from --jobs 1")
    print(f"same report ({len(one.stdout)} bytes), problem lines and exit code {one.returncode} for --jobs 1, 2, 4")


if __name__ == "__main__":
    main()
