#!/usr/bin/env bash
# WebSocket echo comparison: aio's, Hummingbird's (hummingbird-websocket) and Vapor's
# (websocket-kit) echo servers on one event loop pinned to CPU 0, loaded by the same client
# (WSLoad, pinned to CPU 1): 64 connections, each sending a binary message and waiting for its
# echo, for 64 B and 64 KiB messages, in interleaved rounds. Reports round trips per second and
# per second of server CPU (the client, on one core, can saturate before a fast server does).
#   Benchmarks/e2e/ws-run.sh                   # 3 rounds of 10 s
#   ROUNDS=5 SECONDS_PER_RUN=20 Benchmarks/e2e/ws-run.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
SERVERS=${SERVERS:-"aio hummingbird vapor"}
SIZES=${SIZES:-"64 65536"}

command -v taskset >/dev/null && command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq util-linux curl >/dev/null; }
# Recompile the servers themselves: an incremental build can keep them compiled against an older
# layout of the package's structs (a SwiftPM bug seen here), which crashes them.
find Sources -name '*.swift' -exec touch {} +
swift build -c release 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT

THREADS=1
source ./servers.sh

results="$scratch/results"
port=19500
for round in $(seq "$ROUNDS"); do
    for server in $SERVERS; do
        port=$((port + 1))
        start "$server" "$port"
        for size in $SIZES; do
            taskset -c 1 "$bin/WSLoad" "ws://127.0.0.1:$port/ws" 64 "$size" 2 >/dev/null  # warm-up
            before=$(cpu_ticks "$pid")
            rate=$(taskset -c 1 "$bin/WSLoad" "ws://127.0.0.1:$port/ws" 64 "$size" "$SECONDS_PER_RUN")
            busy=$(( $(cpu_ticks "$pid") - before ))
            # Round trips per second of server CPU: the one client can be the bottleneck.
            per_cpu=$(python3 -c "print(round($rate * $SECONDS_PER_RUN * $(getconf CLK_TCK) / max($busy, 1)))")
            echo "$round $server $size $rate $per_cpu" >> "$results"
            echo "round $round  $server  $size B  $rate round trips/s  $per_cpu per server CPU-second" >&2
        done
        stop
    done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
table = {}
for row in rows:
    table.setdefault((row[1], int(row[2])), []).append((float(row[3]), float(row[4])))
servers = list(dict.fromkeys(row[1] for row in rows))
sizes = sorted({int(row[2]) for row in rows})
median = lambda server, size, index: statistics.median(value[index] for value in table[(server, size)])
for index, title in [(0, "round trips/s"), (1, "round trips per server CPU-second")]:
    print("| server | " + " | ".join(f"{size} B {title}" for size in sizes) + " | " + " | ".join(f"aio ÷ server ({size} B)" for size in sizes) + " |")
    print("|:--|" + "--:|" * (2 * len(sizes)))
    for server in servers:
        rates = ["%.0f" % median(server, size, index) for size in sizes]
        ratios = ["%.2f×" % (median("aio", size, index) / median(server, size, index)) for size in sizes]
        print(f"| {server} | " + " | ".join(rates) + " | " + " | ".join(ratios) + " |")
    print()
PY
