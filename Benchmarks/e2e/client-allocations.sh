#!/usr/bin/env bash
# Heap allocations and instructions per request of the two Swift clients, counted rather than
# timed (so the figures hold on a busy machine): one nginx worker serves a 1 KiB file, and
# `ClientLoad aio|ahc` runs 64 concurrent keep-alive requests under valgrind twice, for SHORT and
# LONG seconds; the difference between the runs divided by the difference in requests removes
# the setup. DHAT counts blocks allocated; callgrind counts instructions.
#   Benchmarks/e2e/client-allocations.sh
#   SHORT=3 LONG=9 Benchmarks/e2e/client-allocations.sh
set -euo pipefail
cd "$(dirname "$0")"
SHORT=${SHORT:-4}
LONG=${LONG:-12}
for tool in valgrind nginx curl; do command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind nginx-light curl >/dev/null; break; }; done
# SwiftPM can miss that the parent package changed underneath: rebuild the benchmark's own code.
find Sources -name '*.swift' -exec touch {} +
swift build -c release --product ClientLoad 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"; [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null || true' EXIT
mkdir -p "$scratch/root"
head -c 1024 /dev/urandom > "$scratch/root/1k"
port=19201
sed -e "s|PORT|$port|; s|PIDFILE|$scratch/nginx.pid|; s|TMPDIR|$scratch|g; s|ROOT|$scratch/root|" nginx-files.conf > "$scratch/nginx.conf"
nginx -c "$scratch/nginx.conf" -p "$scratch" >/dev/null 2>&1 &
nginx_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/1k" >/dev/null && break; sleep 0.1; done
# valgrind's view of a stripped binary: the same code, without reading debug information.
strip --strip-debug -o "$scratch/ClientLoad" "$bin/ClientLoad"

# measure TOOL CLIENT SECONDS: prints "requests count" (count: blocks or instructions)
measure() {
    local tool=$1 client=$2 seconds=$3 out="$scratch/$1-$2-$3"
    local rate
    if [ "$tool" = dhat ]; then
        rate=$(valgrind --tool=dhat --dhat-out-file=/dev/null "$scratch/ClientLoad" "$client" "http://127.0.0.1:$port/1k" 64 "$seconds" 2> "$out" | awk '{print $1}')
        echo "$(python3 -c "print(round($rate * $seconds))") $(grep -Eo 'Total: +[0-9,]+ bytes in [0-9,]+ blocks' "$out" | grep -Eo '[0-9,]+ blocks' | tr -d ', blocks')"
    else
        rate=$(valgrind --tool=callgrind --callgrind-out-file="$out.cg" "$scratch/ClientLoad" "$client" "http://127.0.0.1:$port/1k" 64 "$seconds" 2> "$out" | awk '{print $1}')
        echo "$(python3 -c "print(round($rate * $seconds))") $(grep -Eo 'Collected : [0-9]+' "$out" | grep -Eo '[0-9]+')"
    fi
}

echo "| client | allocations per request | instructions per request |"
echo "|:--|--:|--:|"
for client in aio ahc; do
    row="| $client |"
    for tool in dhat callgrind; do
        read -r short_requests short_count < <(measure "$tool" "$client" "$SHORT")
        read -r long_requests long_count < <(measure "$tool" "$client" "$LONG")
        row="$row $(python3 -c "print('{:,.0f}'.format(($long_count - $short_count) / ($long_requests - $short_requests)))") |"
    done
    echo "$row"
done
