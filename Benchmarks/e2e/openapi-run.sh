#!/usr/bin/env bash
# The OpenAPI comparison: one greeting service, its code generated once (openapi/openapi.yaml),
# served by AioOpenAPI's transport and by swift-openapi-hummingbird, each also answering the same
# JSON from a hand-written route (what the generated code costs on top of the framework). wrk
# -t1 -c64 as run.sh: servers on CPU 0 with THREADS event loops, wrk on CPU 1, rounds interleaved.
#   Benchmarks/e2e/openapi-run.sh               # 3 rounds of 10 s
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
SERVERS="openapi-aio openapi-hummingbird"
PATHS="/greet/world?greeting=Hi /plain/greet/world?greeting=Hi"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk util-linux curl >/dev/null; }
for product in GreetAio GreetHummingbird; do swift build -c release --product "$product" 2>&1 | tail -n 1; done
bin=$(swift build -c release --show-bin-path)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
source ./servers.sh

results="$scratch/results"
port=19500
for round in $(seq "$ROUNDS"); do
    for server in $SERVERS; do
        port=$((port + 1))
        start "$server" "$port"
        for path in $PATHS; do
            expected='{"message":"Hi,world!"}'  # whitespace removed: the runtime pretty-prints
            body=$(curl -sf "http://127.0.0.1:$port$path" | tr -d ' \n')
            [ "$body" = "$expected" ] || { echo "$server $path answered $body" >&2; exit 1; }
            read -r rps p99 errors <<< "$(wrk_run "http://127.0.0.1:$port$path")"
            echo "$round $server ${path%%\?*} $rps $p99 $errors" >> "$results"
            echo "round $round  $server $path  $rps req/s  p99 $p99 $errors" >&2
        done
        stop
    done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
rps = {}
for row in rows:
    rps.setdefault((row[1], row[2]), []).append(float(row[3]))
median = {key: statistics.median(values) for key, values in rps.items()}
print("| route | AioOpenAPI req/s | swift-openapi-hummingbird req/s | ours ÷ Hummingbird |")
print("|:--|--:|--:|--:|")
for path, label in [("/greet/world", "generated code (`/greet/{name}`)"), ("/plain/greet/world", "hand-written route (`/plain/greet/{name}`)")]:
    ours, theirs = median[("openapi-aio", path)], median[("openapi-hummingbird", path)]
    print("| %s | %.0f | %.0f | %.2f× |" % (label, ours, theirs, ours / theirs))
share = median[("openapi-aio", "/greet/world")] / median[("openapi-aio", "/plain/greet/world")]
print("\nOn our transport the generated code's request runs at %.0f%% of the hand-written route's rate." % (100 * share))
PY
