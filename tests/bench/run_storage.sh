#!/usr/bin/env bash
# Issue 9's storage targets, measured: nothing is dropped, counts are exact, memory stays bounded.
#   host log  a KMS host's 12290 log of HOST_1M_CLIENTS clients over HOST_1M_MONTHS 30-day months, with
#             HOST_1M_FAILING of them refused and retrying every 2 hours (defaults: 50,000 clients, 3
#             months, 0.67 % -> ~1,000,000 requests), as `wevtutil qe /f:xml` XML, generated with its truth
#             (gen_event_xml.py --truth) and cached in WORK_DIR.
#   app log   an Application log given as APP_EVTX (run_all.sh passes its 512 MiB one), when given.
# For each: `kmsdiag analyze FILE --format json` wall time and peak RSS, then bench_analyze (the same
# analysis) for what the report does not print: facts interpreted vs kept, requests read, and the 30-day
# distinct CMID counts reported next to the generator's truth.
#
# usage: tests/bench/run_storage.sh BUILD_DIR WORK_DIR [APP_EVTX]
# env:   HOST_1M_CLIENTS=50000 HOST_1M_MONTHS=3 HOST_1M_FAILING=0.0067
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: $0 BUILD_DIR WORK_DIR [APP_EVTX]}
work=${2:?usage: $0 BUILD_DIR WORK_DIR [APP_EVTX]}
app=${3:-}
clients=${HOST_1M_CLIENTS:-50000}
months=${HOST_1M_MONTHS:-3}
failing=${HOST_1M_FAILING:-0.0067}
kmsdiag="$build/kmsdiag"
analyze="$build/tests/bench/bench_analyze"
for exe in "$kmsdiag" "$analyze"; do
  [ -x "$exe" ] || { echo "missing $exe: ninja -C $build kmsdiag bench_analyze" >&2; exit 1; }
done
mkdir -p "$work"

host="$work/host-${clients}c-${months}m-${failing}f.xml"
if [ ! -e "$host" ]; then
  echo "generating $(basename "$host") ..." >&2
  python3 "$here/gen_event_xml.py" --mode host-fleet --clients "$clients" --months "$months" --failing "$failing" \
    --truth "$host.truth.tmp" "$host.tmp" && mv "$host.truth.tmp" "$host.truth" && mv "$host.tmp" "$host" ||
    { echo "generating the host log failed" >&2; exit 1; }
fi

# timed FILE : runs `kmsdiag analyze FILE --format json` once after warming the page cache; sets WALL (s),
# RSS (MiB) and RC.
timed() {
  cat "$1" > /dev/null
  /usr/bin/time -f '%e %M' -o "$work/storage-time.txt" "$kmsdiag" analyze "$1" --format json > /dev/null 2> "$work/storage.err"
  RC=$?
  read -r WALL RSS < <(tail -1 "$work/storage-time.txt")
  RSS=$(awk "BEGIN { printf \"%.1f\", $RSS / 1024 }")
}
# field NAME : the value of NAME= on the first line of $OUT that has it.
field() { grep -o " $1=[^ ]*" <<< "$OUT" | head -1 | cut -d= -f2; }
# kept_facts : "interpreted kept" from bench_analyze's output in $OUT.
kept_facts() { awk '$1 == "facts" { print $3, $5 }' <<< "$OUT"; }
verdict() { [ "$1" = "$2" ] && echo "(equal)" || echo "(DIFFER)"; }

echo
echo "== storage (issue 9): $(basename "$host") =="
timed "$host"
OUT=$("$analyze" "$host" 2> /dev/null)
read -r interpreted kept < <(kept_facts)
truth_requests=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['requests'])" "$host.truth")
truth_max=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['distinct_cmids_30d'])" "$host.truth")
truth_now=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['current_cmids_30d'])" "$host.truth")
printf '  %-44s %s s, peak RSS %s MiB, exit %s\n' "kmsdiag analyze --format json" "$WALL" "$RSS" "$RC"
printf '  %-44s %12s %12s\n' "" reported truth
printf '  %-44s %12s %12s %s\n' "requests read (dataset host_requests)" "$(field host_requests)" "$truth_requests" \
  "$(verdict "$(field host_requests)" "$truth_requests")"
printf '  %-44s %12s %12s %s\n' "most distinct CMIDs in 30 days" "$(field distinct_cmids_30d)" "$truth_max" \
  "$(verdict "$(field distinct_cmids_30d)" "$truth_max")"
printf '  %-44s %12s %12s %s\n' "distinct CMIDs in the last 30 days" "$(field current_cmids_30d)" "$truth_now" \
  "$(verdict "$(field current_cmids_30d)" "$truth_now")"
printf '  %-44s %12s %12s %s\n' "facts kept / interpreted" "$kept" "$interpreted" "$(verdict "$kept" "$interpreted")"

if [ -n "$app" ]; then
  echo
  echo "== storage (issue 9): $(basename "$app") =="
  timed "$app"
  OUT=$("$analyze" "$app" 2> /dev/null)
  read -r interpreted kept < <(kept_facts)
  printf '  %-44s %s s, peak RSS %s MiB, exit %s\n' "kmsdiag analyze --format json" "$WALL" "$RSS" "$RC"
  printf '  %-44s %12s %12s %s\n' "facts kept / interpreted" "$kept" "$interpreted" "$(verdict "$kept" "$interpreted")"
  grep '^records ' <<< "$OUT" | sort -k3 -n -r | head -4 | awk '{ printf "  %-44s %12s\n", "records of kind " $2, $3 }'
fi
