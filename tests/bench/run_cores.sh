#!/usr/bin/env bash
# One big file on every core (issue 10): the same EVTX log and the same event XML stream read with
# --jobs 1 and --jobs 2, side by side with libevtx's evtxexport on the EVTX log, in one run.
#   reader   bench_ingest --jobs N FILE (ingest only: records counted, nothing interpreted)
#   analyze  kmsdiag analyze --jobs N FILE --format json (end to end)
# Columns: wall s, CPU s (user + system, all threads), MB/s, peak RSS (MiB), and for EVTX how many times faster than `evtxexport -f xml`
# (run once: a minute on 512 MiB), then the two goals of issue 10 against what was measured: EVTX end to
# end on 2 cores >= 100x evtxexport, event XML end to end on 2 cores >= 1 GB/s. Also the hostile case of item 4: a template bomb log (one chunk of
# 1,000 records expanding nested templates) grown to BOMB_CHUNKS chunks, whose time must stay linear.
# Times are medians of REPS runs after warming the page cache. MB = 10^6 bytes.
#
# usage: tests/bench/run_cores.sh BUILD_DIR EVTX XML [WORK_DIR]
# env:   REPS=3 BOMB_CHUNKS=16 EVTXEXPORT_S= (seconds evtxexport took on EVTX: skips running it again)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: $0 BUILD_DIR EVTX XML [WORK_DIR]}
evtx=${2:?usage: $0 BUILD_DIR EVTX XML [WORK_DIR]}
xml=${3:?usage: $0 BUILD_DIR EVTX XML [WORK_DIR]}
work=${4:-}
reps=${REPS:-3}
bomb_chunks=${BOMB_CHUNKS:-16}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
bench="$build/tests/bench/bench_ingest"
kmsdiag="$build/kmsdiag"
for exe in "$bench" "$kmsdiag"; do
  [ -x "$exe" ] || { echo "missing $exe: ninja -C $build bench_ingest kmsdiag" >&2; exit 1; }
done

calc() { awk "BEGIN { printf \"%.6g\", ($*) }"; }
mb() { calc "$(du -b --apparent-size "$1" | cut -f1) / 1e6"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -1; }

# measure COMMAND... : REPS runs; sets WALL (median s), CPU (median user + system s) and RSS (max MiB); fails
# when a run exits above 3.
measure() {
  local walls=() cpus=() rsss=() i t0 t1 m u s rc
  for ((i = 0; i < reps; i++)); do
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M %U %S' -o "$work/time.txt" "$@" > "$work/last.out" 2> "$work/last.err"
    rc=$?
    t1=$(date +%s.%N)
    ((rc > 3)) && { echo "  !! $* exited $rc: $(head -c 300 "$work/last.err")"; return 1; }
    read -r m u s < <(tail -1 "$work/time.txt")
    walls+=("$(calc "$t1 - $t0")") cpus+=("$(calc "$u + $s")") rsss+=("$(calc "$m / 1024")")
  done
  WALL=$(median "${walls[@]}") CPU=$(median "${cpus[@]}") RSS=$(maximum "${rsss[@]}")
}

# Template bomb: one generated chunk repeated (its records' ids do not continue: that is fine here).
bomb="$work/bomb-${bomb_chunks}.evtx"
if [ ! -e "$bomb" ]; then
  python3 "$here/../tools/gen_evtx.py" --mix template-bomb --records 1000 "$work/bomb-1.evtx" &&
    python3 - "$work/bomb-1.evtx" "$bomb_chunks" "$bomb" <<'PY' || { echo "generating the bomb failed" >&2; exit 1; }
import sys
one = open(sys.argv[1], "rb").read()
head, chunk = one[:4096], one[4096:4096 + 65536]
open(sys.argv[3], "wb").write(head + chunk * int(sys.argv[2]))
PY
fi

for f in "$evtx" "$xml" "$bomb"; do cat "$f" > /dev/null; done
evtx_mb=$(mb "$evtx")
echo "== one file on 1 and 2 cores ($(nproc) cores, REPS=$reps, MB = 10^6 bytes; load before: $(cut -d' ' -f1-3 /proc/loadavg)) =="
if [ -z "${EVTXEXPORT_S:-}" ]; then
  t0=$(date +%s.%N)
  evtxexport -f xml "$evtx" > /dev/null 2>&1
  EVTXEXPORT_S=$(calc "$(date +%s.%N) - $t0")
fi
printf '  %-44s %9s %7s %9s %10s %10s\n' "what" "wall s" "CPU s" "MB/s" "peak RSS" "vs evtxexport"
printf '  %-44s %9.2f %7s %9.1f %10s %10s\n' "evtxexport -f xml $(basename "$evtx")" "$EVTXEXPORT_S" "" \
  "$(calc "$evtx_mb / $EVTXEXPORT_S")" "" "1.0x"
row() {  # LABEL FILE COMMAND...
  local label=$1 file=$2
  shift 2
  if measure "$@"; then
    local vs=""
    [ "$file" = "$evtx" ] && vs=$(printf '%.1fx' "$(calc "$EVTXEXPORT_S / $WALL")")
    printf '  %-44s %9.2f %7.2f %9.1f %6.1f MiB %10s\n' "$label" "$WALL" "$CPU" "$(calc "$(mb "$file") / $WALL")" "$RSS" \
      "$vs"
  else
    WALL="" CPU=""
  fi
}
for jobs in 1 2; do row "kmsdiag reader --jobs $jobs $(basename "$evtx")" "$evtx" "$bench" --jobs "$jobs" "$evtx"; done
for jobs in 1 2; do
  row "kmsdiag analyze --jobs $jobs $(basename "$evtx")" "$evtx" "$kmsdiag" analyze --jobs "$jobs" "$evtx" --format json
done
evtx_wall=$WALL evtx_cpu=$CPU
for jobs in 1 2; do row "kmsdiag reader --jobs $jobs $(basename "$xml")" "$xml" "$bench" --jobs "$jobs" "$xml"; done
for jobs in 1 2; do
  row "kmsdiag analyze --jobs $jobs $(basename "$xml")" "$xml" "$kmsdiag" analyze --jobs "$jobs" "$xml" --format json
done
xml_wall=$WALL xml_cpu=$CPU
for jobs in 1 2; do row "template bomb, $bomb_chunks chunks, --jobs $jobs" "$bomb" "$bench" --jobs "$jobs" "$bomb"; done
echo "== goals (end to end, --jobs 2; load after: $(cut -d' ' -f1-3 /proc/loadavg)) =="
# A goal's wall time on 2 cores allows at most twice that in CPU time, whatever the balance between threads.
evtx_goal_s=$(calc "$EVTXEXPORT_S / 100") xml_goal_s=$(calc "$(mb "$xml") / 1000")
[ -n "$evtx_wall" ] && printf '  EVTX %-40s %8.1fx evtxexport   (goal >= 100x: %.2f s, at most %.2f CPU s; used %.2f)\n' \
  "$(basename "$evtx")" "$(calc "$EVTXEXPORT_S / $evtx_wall")" "$evtx_goal_s" "$(calc "2 * $evtx_goal_s")" "$evtx_cpu"
[ -n "$xml_wall" ] && printf '  XML  %-40s %8.1f MB/s         (goal >= 1000 MB/s: %.2f s, at most %.2f CPU s; used %.2f)\n' \
  "$(basename "$xml")" "$(calc "$(mb "$xml") / $xml_wall")" "$xml_goal_s" "$(calc "2 * $xml_goal_s")" "$xml_cpu"
