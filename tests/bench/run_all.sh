#!/usr/bin/env bash
# The performance targets of kmsdiag, measured in one run against the peers on the same generated files:
#   inputs  (a) a client Application log as EVTX (SIZE_MB MiB, KMS events ~2 % among ordinary noise),
#           (b) the same kind of log as a `wevtutil qe /f:xml` stream (XML_SIZE), (c) a KMS host's
#           "Key Management Service" log for HOST_CLIENTS clients over HOST_MONTHS months, as EVTX and XML,
#           (d) a bundle folder of BUNDLE_FILES small client logs (EVTX and XML alternating, BUNDLE_FILE_KB each).
#           Generated deterministically and cached in WORK_DIR: a rerun skips generation.
#   readers cat and wc -l (the I/O floor), libevtx's `evtxexport -f xml`, python3-evtx's evtx_dump.py (on a
#           SLICE_MB slice of (a): it reads ~0.3 MB/s) and kmsdiag's reader (bench_ingest), with record counts.
#   whole   `kmsdiag analyze --format json` of (a), (b), (c): wall, MB/s, peak RSS.
#   bundle  `kmsdiag analyze --jobs 1 DIR` against the default (one job per core): CPU utilisation, speed-up.
#   cores   run_cores.sh: (a) and (b) read and analysed with --jobs 1 and --jobs 2, next to evtxexport.
#   storage run_storage.sh: a ~1,000,000-request host log (50,000 clients, 90 days) and (a), analysed in
#           full: wall, peak RSS, facts kept vs interpreted, 30-day distinct CMIDs reported vs the truth.
# and a summary of every target, met or NOT met. Times are medians of REPS runs after warming the page cache;
# a peer whose first run takes longer than SLOW_S seconds runs once (the table says so).
# MB = 10^6 bytes (as bench_ingest prints), RSS in MiB. Exit 0 whatever the figures; 1 when something
# could not run (a missing tool or build, a crash, kmsdiag rejecting --jobs).
#
# usage: tests/bench/run_all.sh BUILD_DIR [SIZE_MB] [WORK_DIR]        (SIZE_MB default 512, WORK_DIR a temp dir)
# env:   REPS=3 XML_SIZE=1G HOST_CLIENTS=2000 HOST_MONTHS=12 HOST_FAILING=0.02 BUNDLE_FILES=200
#        BUNDLE_FILE_KB=3072 SLICE_MB=4 SLOW_S=60 GENERATE_ONLY= (set: make the inputs, measure nothing)
# small trial (a few minutes, mostly generating the bundle and python3-evtx):
#        REPS=1 XML_SIZE=64M HOST_CLIENTS=200 HOST_MONTHS=2 BUNDLE_FILE_KB=64 tests/bench/run_all.sh build 16 /tmp/kb
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../tools"
build=${1:?usage: $0 BUILD_DIR [SIZE_MB] [WORK_DIR]}
size_mb=${2:-512}
work=${3:-}
reps=${REPS:-3}
xml_size=${XML_SIZE:-1G}
clients=${HOST_CLIENTS:-2000}
months=${HOST_MONTHS:-12}
failing=${HOST_FAILING:-0.02}
bundle_files=${BUNDLE_FILES:-200}
bundle_kb=${BUNDLE_FILE_KB:-3072}
slice_mb=${SLICE_MB:-4}
slow_s=${SLOW_S:-60}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
bench="$build/tests/bench/bench_ingest"
kmsdiag="$build/kmsdiag"
failures=0
for exe in "$bench" "$kmsdiag" "$build/tests/bench/bench_analyze"; do
  [ -x "$exe" ] || { echo "missing $exe: ninja -C $build bench_ingest bench_analyze kmsdiag" >&2; exit 1; }
done
for tool in evtxexport /usr/bin/evtx_dump.py /usr/bin/time python3; do
  command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }
done

# ---------------------------------------------------------------------------------------------------------
# Inputs: each is written under a temporary name and renamed, so an interrupted run never leaves a cached
# half file behind.

# make_input OUT COMMAND... : runs COMMAND OUT.tmp unless OUT exists, then renames OUT.tmp to OUT.
make_input() {
  local out=$1
  shift
  [ -e "$out" ] && return 0
  echo "generating $(basename "$out") ..." >&2
  rm -rf "$out.tmp"
  "$@" "$out.tmp" && mv "$out.tmp" "$out"
}
seed_evtx() { python3 "$tools/gen_evtx.py" --mix app --records 50000 "$1"; }
grow() { python3 "$here/grow_evtx.py" "$work/app-seed.evtx" "$2" "$1"; }
bundle() {
  local dir=$1 k
  mkdir -p "$dir"
  for ((k = 0; k < bundle_files; k++)); do
    if ((k % 2 == 0)); then  # ~330 bytes a record
      python3 "$tools/gen_evtx.py" --mix app --seed "$k" --records $((bundle_kb * 3)) \
        --computer "$(printf 'PC-%03d.corp.example' "$k")" "$dir/$(printf 'client-%03d.evtx' "$k")" || return 1
    else
      python3 "$here/gen_event_xml.py" --mode client --seed "$k" --size "${bundle_kb}K" \
        "$dir/$(printf 'client-%03d.xml' "$k")" || return 1
    fi
  done
}

evtx="$work/app-${size_mb}M.evtx"
slice="$work/app-${slice_mb}M.evtx"
xml="$work/app-${xml_size}.xml"
host_tag="host-${clients}c-${months}m"
host_evtx="$work/$host_tag.evtx"
host_xml="$work/$host_tag.xml"
bundle_dir="$work/bundle-${bundle_files}x${bundle_kb}K"
make_input "$work/app-seed.evtx" seed_evtx &&
  make_input "$evtx" grow "$size_mb" &&
  make_input "$slice" grow "$slice_mb" &&
  make_input "$xml" python3 "$here/gen_event_xml.py" --mode client --size "$xml_size" &&
  make_input "$host_evtx" python3 "$tools/gen_evtx.py" --mix host-fleet --clients "$clients" --months "$months" \
    --failing "$failing" &&
  make_input "$host_xml" python3 "$here/gen_event_xml.py" --mode host-fleet --clients "$clients" \
    --months "$months" --failing "$failing" &&
  make_input "$bundle_dir" bundle || { echo "generating the inputs failed" >&2; exit 1; }
[ -n "${GENERATE_ONLY:-}" ] && { echo "inputs ready in $work"; exit 0; }

# ---------------------------------------------------------------------------------------------------------
# Measuring

calc() { awk "BEGIN { printf \"%.6g\", ($*) }"; }
bytes() { du -sb --apparent-size "$1" | cut -f1; }
mb() { calc "$(bytes "$1") / 1e6"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -1; }
fmt() { [ -n "$1" ] && printf "%.${2:-1}f%s" "$1" "${3:-}" || echo n/a; }  # VALUE [DECIMALS] [UNIT]

# measure MAX_RC COMMAND... : runs COMMAND REPS times (once if the first run takes longer than SLOW_S s),
# stdout discarded, stderr kept in $work/last.err. Sets WALL and CPU (medians, s), RSS (max, MiB), RUNS, and
# RC (the last exit status); returns 1 when a run exits above MAX_RC (kmsdiag: 0-3 are answers, not failures).
measure() {
  local max_rc=$1 walls=() cpus=() rsss=() i t0 t1 u s m
  shift
  RUNS=0
  for ((i = 0; i < reps; i++)); do
    t0=$(date +%s.%N)
    /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" > /dev/null 2> "$work/last.err"
    RC=$?
    t1=$(date +%s.%N)
    ((RC > max_rc)) && return 1
    read -r _ u s m < <(tail -1 "$work/time.txt")
    walls+=("$(calc "$t1 - $t0")") cpus+=("$(calc "$u + $s")") rsss+=("$(calc "$m / 1024")")
    RUNS=$((RUNS + 1))
    (($(calc "$t1 - $t0 > $slow_s"))) && break
  done
  WALL=$(median "${walls[@]}") CPU=$(median "${cpus[@]}") RSS=$(maximum "${rsss[@]}")
}

runs_note() { ((RUNS < reps)) && echo "(1 run: slow)"; }
fail() {
  echo "  !! $1 could not run (exit $RC): $(head -c 300 "$work/last.err" | head -3)"
  failures=$((failures + 1))
}

# reader LABEL FILE COMMAND... : one throughput row; sets RATE (MB/s) or leaves it empty on failure.
reader() {
  local label=$1 file=$2
  shift 2
  RATE=
  if measure 0 "$@"; then
    RATE=$(calc "$(mb "$file") / $WALL")
    printf '  %-36s %9.1f MB %9.3f s %9.1f MB/s %s\n' "$label" "$(mb "$file")" "$WALL" "$RATE" "$(runs_note)"
  else
    fail "$label"
  fi
}

# ingest_records FILE... : records kmsdiag's reader finds (bench_ingest's "records N" line).
ingest_records() { "$bench" "$@" 2> /dev/null | awk '$1 == "records" { print $2 }'; }

echo "kmsdiag benchmark: $(nproc) cores, REPS=$reps, work dir $work (MB = 10^6 bytes)"
echo
echo "== inputs =="
declare -A records
for f in "$evtx" "$slice" "$xml" "$host_evtx" "$host_xml" "$bundle_dir"; do
  records[$f]=$(ingest_records "$f")  # also warms the page cache: the runs measure parsing, not the disk
  extra=
  [ -d "$f" ] && extra="($(find "$f" -name '*.evtx' | wc -l) EVTX + $(find "$f" -name '*.xml' | wc -l) XML files)"
  printf '  %-28s %9.1f MB %10s records %s\n' "$(basename "$f")" "$(mb "$f")" "${records[$f]:-?}" "$extra"
done

echo
echo "== readers: (a) EVTX $(basename "$evtx") =="
reader "cat (I/O floor)" "$evtx" cat "$evtx"
reader "kmsdiag reader (bench_ingest)" "$evtx" "$bench" "$evtx"
kms_evtx_rate=$RATE
reader "evtxexport -f xml (libevtx)" "$evtx" evtxexport -f xml "$evtx"
peer_evtx_rate=$RATE
reader "evtx_dump.py (python3-evtx)" "$slice" /usr/bin/evtx_dump.py "$slice"
py_rate=$RATE
peer_records=$(evtxexport -f xml "$evtx" 2> /dev/null | grep -c '^<Event ')
py_records=$(/usr/bin/evtx_dump.py "$slice" 2> /dev/null | grep -c '<EventRecordID>')
# same_or_differ A B : how two readers' record counts compare.
same_or_differ() { [ "$1" = "$2" ] && echo "(same)" || echo "(DIFFER by $(($1 - $2)))"; }
echo "  records: kmsdiag ${records[$evtx]}, evtxexport $peer_records" \
  "$(same_or_differ "${records[$evtx]}" "$peer_records")"
echo "  records in the $(basename "$slice") slice: kmsdiag ${records[$slice]}, python3-evtx $py_records" \
  "$(same_or_differ "${records[$slice]}" "$py_records")"
evtx_ratio='' py_ratio=''
[ -n "$kms_evtx_rate" ] && [ -n "$peer_evtx_rate" ] && evtx_ratio=$(calc "$kms_evtx_rate / $peer_evtx_rate")
[ -n "$kms_evtx_rate" ] && [ -n "$py_rate" ] && py_ratio=$(calc "$kms_evtx_rate / $py_rate")
echo "  kmsdiag / evtxexport: $(fmt "$evtx_ratio" 1 x)   kmsdiag / python3-evtx: $(fmt "$py_ratio" 0 x)"

echo
echo "== readers: (b) event XML $(basename "$xml") =="
reader "cat (I/O floor)" "$xml" cat "$xml"
reader "wc -l" "$xml" wc -l "$xml"
reader "kmsdiag reader (bench_ingest)" "$xml" "$bench" "$xml"
xml_rate=$RATE

echo
echo "== whole analysis: kmsdiag analyze FILE --format json =="
printf '  %-28s %9s %9s %9s %11s %5s\n' input MB "wall s" "MB/s" "peak RSS" exit
worst_rss=
for f in "$evtx" "$xml" "$host_evtx" "$host_xml"; do
  if measure 3 "$kmsdiag" analyze "$f" --format json; then
    printf '  %-28s %9.1f %9.2f %9.1f %7.1f MiB %5s %s\n' "$(basename "$f")" "$(mb "$f")" "$WALL" \
      "$(calc "$(mb "$f") / $WALL")" "$RSS" "$RC" "$(runs_note)"
    worst_rss=$(maximum "$RSS" ${worst_rss:+"$worst_rss"})
    [ "$RSS" = "$worst_rss" ] && worst_rss_file=$(basename "$f")
  else
    fail "kmsdiag analyze $(basename "$f")"
  fi
done

echo
echo "== bundle: kmsdiag analyze DIR --format json, $(basename "$bundle_dir") =="
printf '  %-28s %9s %9s %12s %9s\n' jobs "wall s" "cpu s" "utilisation" "peak RSS"
declare -A bwall bcpu
for jobs in 1 default; do
  opt=()
  [ "$jobs" = 1 ] && opt=(--jobs 1)
  if measure 3 "$kmsdiag" analyze "${opt[@]}" "$bundle_dir" --format json; then
    bwall[$jobs]=$WALL bcpu[$jobs]=$CPU
    printf '  %-28s %9.2f %9.2f %12.2f %5.1f MiB %s\n' "$jobs" "$WALL" "$CPU" "$(calc "$CPU / $WALL")" "$RSS" \
      "$(runs_note)"
  else
    printf '  %-28s %9s\n' "$jobs" n/a
    fail "kmsdiag analyze ${opt[*]} DIR"
  fi
done
util='' speedup=''
[ -n "${bwall[default]:-}" ] && util=$(calc "${bcpu[default]} / ${bwall[default]}")
[ -n "${bwall[default]:-}" ] && [ -n "${bwall[1]:-}" ] && speedup=$(calc "${bwall[1]} / ${bwall[default]}")
echo "  speed-up of the default over --jobs 1: $(fmt "$speedup" 2 x)"

echo
EVTXEXPORT_S=$([ -n "$peer_evtx_rate" ] && calc "$(mb "$evtx") / $peer_evtx_rate") \
  "$here/run_cores.sh" "$build" "$evtx" "$xml" "$work" || { echo "  !! run_cores.sh could not run"; failures=$((failures + 1)); }

"$here/run_storage.sh" "$build" "$work" "$evtx" || { echo "  !! run_storage.sh could not run"; failures=$((failures + 1)); }

# ---------------------------------------------------------------------------------------------------------
# Targets

# verdict VALUE OP LIMIT [CAVEAT] : met / NOT met / n/a, with the caveat when the run was smaller than the target's.
verdict() {
  if [ -z "$1" ]; then
    echo "n/a"
  elif (($(calc "$1 $2 $3"))); then
    echo "met${4:+ ($4)}"
  else
    echo "NOT met${4:+ ($4)}"
  fi
}
below() { (($(calc "$(bytes "$1") < $2"))) && echo "$3"; }
echo
echo "== targets =="
printf '  %-52s %14s   %s\n' target measured verdict
printf '  %-52s %14s   %s\n' "EVTX reader >= 20x evtxexport on >= 500 MB" "$(fmt "$evtx_ratio" 1 x)" \
  "$(verdict "$evtx_ratio" '>=' 20 "$(below "$evtx" 500e6 "input below 500 MB")")"
printf '  %-52s %14s   %s\n' "XML reader >= 300 MB/s on >= 1 GiB" "$(fmt "$xml_rate" 1 " MB/s")" \
  "$(verdict "$xml_rate" '>=' 300 "$(below "$xml" 1073741824 "input below 1 GiB")")"
printf '  %-52s %14s   %s\n' "peak RSS <= 64 MiB, every whole analysis" "$(fmt "$worst_rss" 1 " MiB")" \
  "$(verdict "$worst_rss" '<=' 64 "${worst_rss_file:+worst: $worst_rss_file}")"
printf '  %-52s %14s   %s\n' "bundle CPU utilisation >= 1.6 with 2 cores" "$(fmt "$util" 2)" \
  "$(verdict "$util" '>=' 1.6 "$([ "$(nproc)" = 2 ] || echo "$(nproc) cores")")"
((failures == 0)) || echo "$failures measurement(s) could not run (see '!!' above)"
((failures == 0))
