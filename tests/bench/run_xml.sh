#!/bin/sh
# Event XML ingest benchmark: generates a >= 1 GiB wevtutil-style stream (tests/bench/gen_event_xml.py)
# and times bench_ingest over it, printing throughput and peak RSS.
# usage: run_xml.sh [BUILD_DIR] [WORK_DIR] [SIZE]   (defaults: build, a fresh temp dir, 1G)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
work=${2:-}
size=${3:-1G}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
bench="$build/tests/bench/bench_ingest"
[ -x "$bench" ] || { echo "build bench_ingest first: ninja -C $build bench_ingest" >&2; exit 1; }
data="$work/application-$size.xml"
[ -s "$data" ] || python3 "$here/gen_event_xml.py" --size "$size" --mode client "$data"
ls -l "$data"
cat "$data" > /dev/null  # warm the page cache so the run measures parsing, not the disk
/usr/bin/time -v "$bench" "$data" 2> "$work/time.txt"
grep -E 'Maximum resident set size|Elapsed \(wall clock\)|User time|System time' "$work/time.txt"
