#!/usr/bin/env python3
"""Writes a fleet of cloned PCs too big for any list in the report to be sampled: N machines deployed from
K images that skipped sysprep /generalize (so N machines share K CMIDs), every one asking KMS01, whose
log is given. The complete-lists test (tests/scenarios/check_complete_lists.py) checks that the JSON
report names every machine and every CMID while the terminal report stays short.

    python3 tests/tools/make_clone_fleet.py OUT_DIR [--machines 120] [--images 2]

Deterministic (fixed seed); prints the CMIDs, one a line, then the machine names.
"""

import argparse
import datetime as dt
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_samples as ms  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out", type=pathlib.Path)
    p.add_argument("--machines", type=int, default=120)
    p.add_argument("--images", type=int, default=2)
    a = p.parse_args()

    f = ms.Fleet("clone-fleet", 1211)
    host = ms.Host(f, "KMS01")
    f.host_log(host)
    start = f.end - dt.timedelta(hours=6)
    images = [f.uuid() for _ in range(a.images)]
    names = ms.pc_names(f, "CLN", a.machines)
    clones = [ms.Client(f, n, "win-edu", cmid=images[i % a.images], installed=start - dt.timedelta(days=5))
              for i, n in enumerate(names)]
    for c in clones[:2]:
        f.client_log(c)
    # Each clone asks at the start and at the end of the day: every name of a CMID is active at once.
    requests = sorted([(f.jitter(start, 60), c) for c in clones] +
                      [(f.jitter(start + dt.timedelta(hours=4), 60), c) for c in clones], key=lambda e: e[0])
    for t, c in requests:
        ms.exchange(c, host, t)
    f.write(a.out)
    print("\n".join(images + [c.fqdn for c in clones]))


if __name__ == "__main__":
    main()
