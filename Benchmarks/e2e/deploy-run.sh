#!/usr/bin/env bash
# Deployment figures of `aio serve` (release build), one run each:
#   1. new connections per second through HAProxy (deploy/haproxy/haproxy.cfg) with
#      send-proxy-v2 and `aio serve --proxy-protocol`, against the same configuration without
#      the PROXY header: wrk -c64 with `Connection: close` on /health, rounds interleaved;
#   2. p99 latency while `aio serve` is restarted three times by SIGUSR2, against the steady p99,
#      directly and through HAProxy;
#   3. `--workers 2` (two processes on one socket) against `--threads 2` (one process, two event
#      loops) on /status/200, nothing pinned: the two cores are shared with wrk.
#   Benchmarks/e2e/deploy-run.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
root=$(cd ../.. && pwd)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk util-linux curl >/dev/null; }
bash "$root/Scripts/install-test-peers.sh"
(cd "$root" && swift build -c release --product aio 2>&1 | tail -n 1)
aio="$(cd "$root" && swift build -c release --show-bin-path)/aio"
scratch=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; [ -f "$scratch/aio.pid" ] && kill "$(cat "$scratch/aio.pid")" 2>/dev/null; rm -rf "$scratch"' EXIT

wait_for() {  # wait_for PORT [tcp]: until /health answers there (or, with tcp, anything accepts)
    for _ in $(seq 100); do
        if [ "${2:-}" = tcp ]; then (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        else curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; fi
        sleep 0.1
    done
    echo "nothing on $1" >&2
    exit 1
}
serve() {  # serve PORT ARGS…: aio serve in the background, its pid in the pid file
    local port=$1; shift
    rm -f "$scratch/aio.pid"
    "$aio" serve --port "$port" --pid-file "$scratch/aio.pid" "$@" >/dev/null 2>&1 &
    wait_for "$port" tcp  # with --proxy-protocol, only a balancer may ask /health
    for _ in $(seq 100); do [ -s "$scratch/aio.pid" ] && return 0; sleep 0.1; done
}
unserve() {
    local pid; pid=$(cat "$scratch/aio.pid")
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
haproxy_on() {  # haproxy_on PORT SERVER_PORT [plain]: deploy/'s HAProxy, without send-proxy-v2 if plain
    local config="$scratch/haproxy.cfg"
    sed -e "s|bind :80|bind 127.0.0.1:$1|; s|127.0.0.1:8080|127.0.0.1:$2|; s|log stdout format raw local0 info|# no log|" \
        "$root/deploy/haproxy/haproxy.cfg" > "$config"
    [ "${3:-}" = plain ] && sed -i 's| send-proxy-v2||' "$config"
    haproxy -db -f "$config" >/dev/null 2>&1 &
    haproxy_pid=$!
    pids+=("$haproxy_pid")
    wait_for "$1"
}
haproxy_off() { kill "$haproxy_pid"; wait "$haproxy_pid" 2>/dev/null || true; }
rate() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1 == "99%" {print $2}'; }
errors() { awk '/Non-2xx|Socket errors/ {printf "%s ", $0}'; }

echo "== 1. new connections per second through HAProxy"
for round in $(seq "$ROUNDS"); do
    for variant in proxy-v2 plain; do
        if [ $variant = proxy-v2 ]; then serve 19601 --threads 1 --proxy-protocol --trusted-proxy 127.0.0.1; haproxy_on 19602 19601
        else serve 19601 --threads 1; haproxy_on 19602 19601 plain; fi
        out=$(wrk -t1 -c64 -d"${DURATION}s" -H 'Connection: close' http://127.0.0.1:19602/health)
        echo "round $round $variant: $(echo "$out" | rate) connections/s $(echo "$out" | errors)"
        echo "$variant $(echo "$out" | rate)" >> "$scratch/connections"
        haproxy_off; unserve
    done
done
python3 - "$scratch/connections" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    name, value = line.split()
    rates.setdefault(name, []).append(float(value))
v2, plain = statistics.median(rates["proxy-v2"]), statistics.median(rates["plain"])
print("median: with send-proxy-v2 %.0f/s, without %.0f/s: %.1f%% fewer" % (v2, plain, 100 * (1 - v2 / plain)))
PY

restart_p99() {  # restart_p99 URL: steady p99, then p99 and errors during three SIGUSR2 restarts
    local steady during out
    steady=$(wrk -t1 -c64 -d"${DURATION}s" --latency "$1" | p99)
    wrk -t1 -c64 -d"${DURATION}s" --latency "$1" > "$scratch/during" &
    local load=$!
    for at in 2 3 3; do
        sleep "$at"
        kill -USR2 "$(cat "$scratch/aio.pid")"
    done
    wait "$load"
    echo "steady p99 $steady; during three restarts p99 $(p99 < "$scratch/during"), $(rate < "$scratch/during") req/s $(errors < "$scratch/during")"
}
echo "== 2. p99 during restarts"
serve 19611 --threads 1
echo "direct: $(restart_p99 http://127.0.0.1:19611/status/200)"
unserve
serve 19611 --threads 1 --proxy-protocol --trusted-proxy 127.0.0.1
haproxy_on 19612 19611
echo "through HAProxy: $(restart_p99 http://127.0.0.1:19612/status/200)"
haproxy_off; unserve

echo "== 3. --workers 2 against --threads 2"
for round in $(seq "$ROUNDS"); do
    for variant in workers threads; do
        if [ $variant = workers ]; then serve 19621 --workers 2 --threads 1; else serve 19621 --threads 2; fi
        wrk -t1 -c64 -d2s http://127.0.0.1:19621/status/200 >/dev/null
        out=$(wrk -t1 -c64 -d"${DURATION}s" --latency http://127.0.0.1:19621/status/200)
        echo "round $round $variant: $(echo "$out" | rate) req/s p99 $(echo "$out" | p99) $(echo "$out" | errors)"
        unserve
    done
done
