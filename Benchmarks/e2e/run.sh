#!/usr/bin/env bash
# End-to-end comparison: each hello-world server in turn, loaded by wrk -t1 -c64 on / (plain
# text), /json and / with 16 requests pipelined per connection (pipeline.lua), in interleaved
# rounds so that drift on a shared machine hits every server alike; `aio serve` (the demo app,
# with its middleware and router) and nginx also on /status/200. Servers are pinned to CPU 0
# and wrk to CPU 1; every Swift server gets THREADS event loops.
#   Benchmarks/e2e/run.sh                      # 3 rounds of 10 s
#   ROUNDS=5 DURATION=20s Benchmarks/e2e/run.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
SERVERS=${SERVERS:-"aio aio-async aio-middleware aio-pool aio-serve hummingbird vapor nio nio-canned nginx aiohttp"}

missing=()
for tool in wrk nginx taskset curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq wrk nginx-light util-linux curl >/dev/null
fi
bash ../../Scripts/install-test-peers.sh
# Recompile the servers themselves: an incremental build can keep them compiled against an older
# layout of the package's structs (a SwiftPM bug seen here), which crashes them.
find Sources ../../Sources/aio -name '*.swift' -exec touch {} +
swift build -c release 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
(cd ../.. && swift build -c release --product aio 2>&1 | tail -n 1)
aio_bin=$(cd ../.. && swift build -c release --show-bin-path)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT

source ./servers.sh

results="$scratch/results"
port=19000
for round in $(seq "$ROUNDS"); do
    for server in $SERVERS; do
        port=$((port + 1))
        start "$server" "$port"
        case $server in
            aio-serve) paths="/status/200" ;;
            nginx) paths="/ /json /pipelined /status/200" ;;
            *) paths="/ /json /pipelined" ;;
        esac
        for path in $paths; do
            # /pipelined is / with 16 requests sent back to back on each connection.
            url="http://127.0.0.1:$port$path" script=()
            if [ "$path" = /pipelined ]; then url="http://127.0.0.1:$port/" script=(-s pipeline.lua); fi
            read -r rps p99 errors <<< "$(wrk_run "${script[@]}" "$url")"
            echo "$round $server $path $rps $p99 $errors" >> "$results"
            echo "round $round  $server $path  $rps req/s  p99 $p99 $errors" >&2
        done
        stop
    done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def ms(text):
    value = float(text.rstrip("usm"))
    return value / 1000 if text.endswith("us") else value * 1000 if text.endswith("s") and not text.endswith("ms") else value
table = {}
for row in rows:
    table.setdefault((row[1], row[2]), []).append((float(row[3]), ms(row[4])))
servers = list(dict.fromkeys(row[1] for row in rows))
paths = ["/", "/json", "/pipelined", "/status/200"]
# Whose figure the ratios divide: aio's hello handlers, or aio serve's routed /status/200.
ours = {"/status/200": "aio-serve"}
print("| server | " + " | ".join("%s req/s | %s p99 ms" % (path, path) for path in paths) + " | "
      + " | ".join("%s ÷ server (%s)" % (ours.get(path, "aio"), path) for path in paths) + " |")
print("|:--|" + "--:|" * (3 * len(paths)))
median = lambda key, index: statistics.median(value[index] for value in table[key])
for server in servers:
    cells, ratios = [], []
    for path in paths:
        if (server, path) not in table:
            cells += ["–", "–"]
            ratios.append("–")
            continue
        cells += ["%.0f" % median((server, path), 0), "%.2f" % median((server, path), 1)]
        mine = (ours.get(path, "aio"), path)
        ratios.append("%.2f×" % (median(mine, 0) / median((server, path), 0)) if mine in table else "–")
    print("| %s | %s | %s |" % (server, " | ".join(cells), " | ".join(ratios)))
PY
