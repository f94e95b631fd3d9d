#!/usr/bin/env bash
# Events with huge payloads (issue 10): one KMS host 12290 event with N named <Data> items as event XML,
# and with N Properties as ConvertTo-Json, each followed by an ordinary event, read by bench_ingest.
# Building such a record used to cost a lookup per item over all items before it (quadratic: N = 120,000
# took 40 s of CPU); it is linear now, and the reader keeps the first 1,024 items and says so.
# usage: tests/bench/run_wide_events.sh BUILD_DIR [N] [WORK_DIR]     (N default 120000: a 3.9 MB event,
#        under the XML reader's 4 MiB event limit)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: $0 BUILD_DIR [N] [WORK_DIR]}
n=${2:-120000}
work=${3:-}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
bench="$build/tests/bench/bench_ingest"
[ -x "$bench" ] || { echo "missing $bench: ninja -C $build bench_ingest" >&2; exit 1; }
for kind in xml json; do
  f="$work/wide-$n.$kind"
  [ -e "$f" ] || python3 "$here/../tools/gen_hostile_events.py" "wide-$kind" "$n" > "$f"
  echo "wide-$kind N=$n: $("$bench" "$f" 2>/dev/null | tail -1)"
done
