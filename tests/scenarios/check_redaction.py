#!/usr/bin/env python3
"""--redact (issue 11, item 3): over sample fleets, a redacted report in every analysis format holds none of the
machine names, domains, CMIDs and IP addresses the unredacted JSON names (its findings, and the fleet inventory
the HTML report shows), and a second run gives the same bytes.

    check_redaction.py --kmsdiag build/kmsdiag --rules rules SAMPLE_DIR...
"""

import argparse
import json
import re
import subprocess
import sys

MACHINE_FIELDS = {"machine", "machines", "host", "hosts", "host_list", "client", "kms_host_name", "target"}
DOMAIN_FIELDS = {"domain", "srv_domain"}
IPV4 = re.compile(r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b")


def names_in(doc):
    """Every machine, domain (and parent domain of 2+ labels), CMID and IPv4 address the report names."""
    values = set()

    def machine(text):
        for part in text.split(","):
            part = part.strip().split(":")[0].rstrip(".")
            if not re.search(r"[A-Za-z]", part):
                continue
            short, _, domain = part.partition(".")
            values.add(short)
            if domain:
                add_domain(domain)

    def add_domain(text):
        labels = text.strip().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            values.add(".".join(labels[i:]))

    for f in doc["findings"]:
        for m in f["machines"]:
            machine(m)
        for e in f["evidence"]:
            machine(e["machine"])
        for key, value in f["facts"].items():
            base = key.rsplit(".", 1)[-1]
            if base in MACHINE_FIELDS and isinstance(value, str):
                machine(value)
            if base in DOMAIN_FIELDS and isinstance(value, str):
                add_domain(value)
            if base == "cmid" and isinstance(value, str):
                values.update(v.strip() for v in value.split(",") if v.strip())
        for value in f["lists"].get("cmid", []):
            values.add(value)
    values.update(IPV4.findall(json.dumps(doc)))
    return {v for v in values if v}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kmsdiag", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("samples", nargs="+")
    a = p.parse_args()
    formats = subprocess.run([a.kmsdiag, "analyze", "--help"], capture_output=True, text=True).stdout
    failures = []
    for sample in a.samples:
        base = [a.kmsdiag, "--rules", a.rules, "analyze", "--no-color", sample]
        doc = json.loads(subprocess.run(base + ["--format", "json"], capture_output=True, text=True).stdout)
        originals = names_in(doc)
        if not originals:
            failures.append(f"{sample}: the unredacted report names nothing to check")
        for fmt in ("text", "json", "md", "html"):
            runs = [subprocess.run(base + ["--format", fmt, "--redact"], capture_output=True, text=True) for _ in (1, 2)]
            out = runs[0].stdout
            if runs[0].stdout != runs[1].stdout:
                failures.append(f"{sample} {fmt}: two redacted runs differ")
            if runs[0].returncode != subprocess.run(base + ["--format", fmt], capture_output=True).returncode:
                failures.append(f"{sample} {fmt}: --redact changed the exit code")
            left = sorted(v for v in originals if v.lower() in out.lower())
            if left:
                failures.append(f"{sample} {fmt}: still names {left[:5]}")
        print(f"{sample}: {len(originals)} names checked in text, json, md, html")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures or "md" not in formats else 0


if __name__ == "__main__":
    sys.exit(main())
