#!/bin/sh
# Starts / stops the test DNS servers by pid: dnsmasq (real answers) and fakedns.py (faults).
# usage: dns_fixture.sh start|stop RUN_DIR CONF DNS_ADDR DNS_PORT FAKE_ADDR FAKE_PORT
set -eu
action=$1 run=$2 conf=$3 dns_addr=$4 dns_port=$5 fake_addr=$6 fake_port=$7
here=$(dirname "$0")

stop() {
  for f in "$run/dnsmasq.pid" "$run/fakedns.pid"; do
    if [ -s "$f" ]; then
      kill "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    fi
  done
}

case "$action" in
  start)
    mkdir -p "$run"
    stop  # servers left over by an interrupted run
    /usr/sbin/dnsmasq --conf-file="$conf" --pid-file="$run/dnsmasq.pid" --log-facility="$run/dnsmasq.log" \
      --log-queries --user="$(id -un)" || { echo "dnsmasq failed to start on $dns_addr:$dns_port" >&2; exit 1; }
    python3 "$here/fakedns.py" --addr "$fake_addr" --port "$fake_port" --pid-file "$run/fakedns.pid" \
      --max-seconds 900 >"$run/fakedns.log" 2>&1 &
    i=0
    while [ ! -s "$run/fakedns.pid" ]; do
      i=$((i + 1))
      if [ $i -gt 100 ]; then echo "fakedns did not start: $(cat "$run/fakedns.log")" >&2; stop; exit 1; fi
      sleep 0.05
    done
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop ..." >&2; exit 2 ;;
esac
