#!/usr/bin/env python3
"""The Debian package installs into a fresh root and analyses a sample from any folder (issue 11).

    check_package.py --build BUILD_DIR --sample SAMPLE_DIR --version VERSION

Builds the .deb with cpack from BUILD_DIR, unpacks it with `dpkg-deb -x` into an empty root (no root rights
needed), then, from an unrelated working directory and without KMSDIAG_RULES, runs <root>/usr/bin/kmsdiag:
`--version` must print VERSION, and `analyze` of the sample's folder (copied there) must find the rules beside the
binary (<root>/usr/share/kmsdiag/rules, the same rule set as the source tree's) and report every cause the
sample's expected.yaml lists. Python standard library only.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile


def fail(message):
    print(f"check_package: {message}", file=sys.stderr)
    sys.exit(1)


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kwargs)


def expected_causes(sample):
    text = (sample / "expected.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"^\s*-\s*cause:\s*([\w-]+)", text, re.MULTILINE))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True, type=pathlib.Path)
    parser.add_argument("--sample", required=True, type=pathlib.Path)
    parser.add_argument("--version", required=True)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kmsdiag-package-") as tmp:
        tmp = pathlib.Path(tmp)
        cpack = run(["cpack", "--config", str(args.build / "CPackConfig.cmake"), "-B", str(tmp / "pkg")])
        if cpack.returncode != 0:
            fail(f"cpack failed:\n{cpack.stdout}{cpack.stderr}")
        debs = list((tmp / "pkg").glob("kmsdiag_*.deb"))
        if len(debs) != 1:
            fail(f"expected one kmsdiag_*.deb, found {debs}")
        deb = debs[0]
        print(f"{deb.name}: {deb.stat().st_size} bytes")
        depends = run(["dpkg-deb", "-f", str(deb), "Depends"]).stdout
        for library in ("libarchive13", "libgcrypt20", "libyaml-cpp0.7"):
            if library not in depends:
                fail(f"Depends does not name {library}: {depends!r}")

        root = tmp / "root"
        unpack = run(["dpkg-deb", "-x", str(deb), str(root)])
        if unpack.returncode != 0:
            fail(f"dpkg-deb -x failed: {unpack.stderr}")
        binary = root / "usr/bin/kmsdiag"
        installed_rules = root / "usr/share/kmsdiag/rules"
        if not binary.is_file() or not (installed_rules / "tables/error-codes.yaml").is_file():
            fail(f"the package lacks usr/bin/kmsdiag or usr/share/kmsdiag/rules: {sorted(map(str, root.rglob('*')))[:20]}")

        # A folder that has nothing to do with the source or build tree, and no KMSDIAG_RULES.
        elsewhere = tmp / "elsewhere"
        elsewhere.mkdir()
        shutil.copytree(args.sample, elsewhere / args.sample.name, ignore=shutil.ignore_patterns("expected.yaml"))
        env = {k: v for k, v in os.environ.items() if k != "KMSDIAG_RULES"}

        version = run([str(binary), "--version"], cwd=elsewhere, env=env)
        if version.returncode != 0 or version.stdout.strip() != f"kmsdiag {args.version}":
            fail(f"--version printed {version.stdout!r} (exit {version.returncode}), expected 'kmsdiag {args.version}'")

        names = [args.sample.name]  # a relative path: the folder as the customer's export
        analysis = run([str(binary), "analyze", "--format", "json", *names], cwd=elsewhere, env=env)
        if analysis.returncode not in (0, 1):
            fail(f"analyze exited {analysis.returncode}:\n{analysis.stderr}")
        report = json.loads(analysis.stdout)
        if pathlib.Path(report["rules"]["path"]).resolve() != installed_rules.resolve():
            fail(f"used rules {report['rules']['path']}, not the installed {installed_rules}")
        source = run([str(args.build / "kmsdiag"), "--rules", str(args.sample.parent.parent / "rules"), "analyze",
                      "--format", "json", *names], cwd=elsewhere, env=env)
        if json.loads(source.stdout)["rules"]["sha256"] != report["rules"]["sha256"]:
            fail("the installed rule set differs from the source tree's")
        found = {f["cause"] for f in report["findings"] if f["severity"] != "info"}
        missing = expected_causes(args.sample) - found
        if missing:
            fail(f"the installed kmsdiag did not find {sorted(missing)} (found {sorted(found)})")
        if any(i["sha256"] is None for i in report["inputs"] if "!" not in i["path"]):
            fail("an input file has no sha256 in the report")
        print(f"installed kmsdiag {args.version} found {sorted(found)} with rules {report['rules']['sha256'][:12]}")


if __name__ == "__main__":
    main()
