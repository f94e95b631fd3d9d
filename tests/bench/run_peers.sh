#!/usr/bin/env bash
# Reader throughput, kmsdiag against the peers available on Debian, on the same files in one run:
#   the I/O floor (cat, wc -l), libevtx's `evtxexport -f xml`, python3-evtx's evtx_dump.py, and
#   kmsdiag's own readers (bench_ingest: EVTX and event XML, single thread, records counted).
# usage: tests/bench/run_peers.sh BUILD_DIR [SIZE_MB] [WORK_DIR]     (default 256 MB)
# python3-evtx reads ~0.2 MB/s, so it gets a 4 MB slice of the same log and its MB/s is compared.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: $0 BUILD_DIR [SIZE_MB] [WORK_DIR]}
size=${2:-256}
work=${3:-}
if [ -z "$work" ]; then work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
bench="$build/tests/bench/bench_ingest"
[ -x "$bench" ] || { echo "build bench_ingest first: cmake --build $build --target bench_ingest" >&2; exit 1; }

evtx="$work/app-${size}M.evtx"; small="$work/app-4M.evtx"; xml="$work/app-${size}M.xml"
if [ ! -s "$evtx" ]; then
  python3 "$here/../tools/gen_evtx.py" --records 3000 --mix client "$work/seed.evtx"
  python3 "$here/grow_evtx.py" "$work/seed.evtx" "$evtx" "$size"
  python3 "$here/grow_evtx.py" "$work/seed.evtx" "$small" 4
fi
[ -s "$xml" ] || python3 "$here/gen_event_xml.py" --size "${size}M" --mode client "$xml"
cat "$evtx" "$xml" > /dev/null  # warm the page cache: measure parsing, not the disk

# seconds (wall) of a command, output discarded
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
secs() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N); calc "$t1 - $t0"; }
mb() { calc "$(stat -c %s "$1") / 1048576"; }
row() { printf '%-34s %9.1f MB %8.2f s %9.1f MB/s\n' "$1" "$2" "$3" "$(calc "$2 / $3")"; }
rate() { calc "$1 / $2"; }

echo "== EVTX ($(printf '%.0f' "$(mb "$evtx")") MB, $(nproc) cores) =="
e_mb=$(mb "$evtx"); s_mb=$(mb "$small")
t_cat=$(secs cat "$evtx");               row "cat (I/O floor)" "$e_mb" "$t_cat"
t_k=$(secs "$bench" "$evtx");            row "kmsdiag evtx reader" "$e_mb" "$t_k"
t_x=$(secs evtxexport -f xml "$evtx");   row "evtxexport -f xml (libevtx)" "$e_mb" "$t_x"
t_p=$(secs /usr/bin/evtx_dump.py "$small"); row "evtx_dump.py (python3-evtx), 4 MB" "$s_mb" "$t_p"
k_rate=$(rate "$e_mb" "$t_k")
printf 'kmsdiag / evtxexport: %.1fx   kmsdiag / python3-evtx: %.0fx\n' \
  "$(rate "$k_rate" "$(rate "$e_mb" "$t_x")")" "$(rate "$k_rate" "$(rate "$s_mb" "$t_p")")"
"$bench" "$evtx" | tail -1

echo "== event XML ($(printf '%.0f' "$(mb "$xml")") MB) =="
x_mb=$(mb "$xml")
t_cat=$(secs cat "$xml");   row "cat (I/O floor)" "$x_mb" "$t_cat"
t_wc=$(secs wc -l "$xml");  row "wc -l" "$x_mb" "$t_wc"
/usr/bin/time -f 'peak RSS %M KB' "$bench" "$xml" 2>&1 | tail -2
