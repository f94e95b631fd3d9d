#!/bin/sh
# Sweep benchmark: 1000 _vlmcs._tcp domains served by a local dnsmasq (loopback only), looked up by
# `kmsdiag dns` (concurrent, in-flight capped) and by dig (1000 processes, and one `dig -f` batch).
# usage: tests/bench/run_dns_sweep.sh BUILD_DIR [N]
set -eu
build=${1:?usage: $0 BUILD_DIR [N]}
n=${2:-1000}
addr=127.77.1.53
port=5398
run=$(mktemp -d)
trap 'kill "$(cat "$run/dnsmasq.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$run"' EXIT

{
  echo "port=$port"; echo "listen-address=$addr"; echo bind-interfaces; echo no-resolv; echo no-hosts; echo no-poll
  echo "local=/sweep.example/"
  i=0
  while [ $i -lt "$n" ]; do
    echo "srv-host=_vlmcs._tcp.d$i.sweep.example,kms$i.sweep.example,1688,0,100"
    i=$((i + 1))
  done
} >"$run/dnsmasq.conf"
/usr/sbin/dnsmasq --conf-file="$run/dnsmasq.conf" --pid-file="$run/dnsmasq.pid" --user="$(id -un)"

i=0
: >"$run/domains"
: >"$run/dig-batch"
while [ $i -lt "$n" ]; do
  echo "d$i.sweep.example" >>"$run/domains"
  echo "_vlmcs._tcp.d$i.sweep.example SRV" >>"$run/dig-batch"
  i=$((i + 1))
done

now() { date +%s.%N; }
# The targets have no address (no host-record), so kmsdiag measures DNS only: n SRV + 2n A/AAAA queries.
t0=$(now)
"$build/kmsdiag" dns --server "$addr:$port" --timeout-ms 1000 --deadline-ms 60000 --format json \
  $(cat "$run/domains") >"$run/kmsdiag.json" || true
t1=$(now)
records=$(grep -c '"status": "records"' "$run/kmsdiag.json" || true)
timeouts=$(grep -c '"status": "timeout"' "$run/kmsdiag.json" || true)

t2=$(now)
dig -p "$port" "@$addr" +tries=1 +time=2 -f "$run/dig-batch" >"$run/dig-batch.out"
t3=$(now)
batch_ok=$(grep -c "status: NOERROR" "$run/dig-batch.out" || true)

t4=$(now)
ok=0
while read -r d; do
  if dig -p "$port" "@$addr" +tries=1 +time=2 "_vlmcs._tcp.$d" SRV | grep -q "status: NOERROR"; then ok=$((ok + 1)); fi
done <"$run/domains"
t5=$(now)

echo "domains: $n"
echo "kmsdiag dns: $(echo "$t1 - $t0" | bc) s, SRV records for $records domains, $timeouts timeouts (plus A/AAAA per target)"
echo "dig -f (one process): $(echo "$t3 - $t2" | bc) s, NOERROR $batch_ok"
echo "dig, one process each: $(echo "$t5 - $t4" | bc) s, NOERROR $ok"
