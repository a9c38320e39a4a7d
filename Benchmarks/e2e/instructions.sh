#!/usr/bin/env bash
# User-space instructions per keep-alive request, counted by valgrind's callgrind
# (repeatable on a busy machine, unlike req/s): each server answers 2,000 requests to warm up,
# then the counters are zeroed and N more requests (`GET /`, four connections, one request at a
# time on each) are counted. The kernel's share is not in these figures.
#
#   Benchmarks/e2e/instructions.sh [N]
#   SET=openapi Benchmarks/e2e/instructions.sh [N]   # the OpenAPI comparison's servers (openapi-run.sh)
set -euo pipefail
cd "$(dirname "$0")"
N=${1:-8000}
PORT=8094
# Recompile the servers themselves: an incremental build can keep them compiled against an older
# layout of the package's structs (a SwiftPM bug seen here), which fails to link or crashes.
find Sources ../../Sources/aio -name '*.swift' -exec touch {} +
products=(HelloAio HelloNIO)
[ "${SET:-hello}" = openapi ] && products=(GreetAio GreetHummingbird)
for product in "${products[@]}"; do swift build -c release --product "$product" 2>&1 | tail -n 1; done
bin=$(swift build -c release --show-bin-path)
if [ "${SET:-hello}" = hello ]; then
    (cd ../.. && swift build -c release --product aio 2>&1 | tail -n 1)
    aio_bin=$(cd ../.. && swift build -c release --show-bin-path)
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

drive() {  # drive COUNT [PATH]: COUNT requests to PATH (/) over four keep-alive connections
    python3 - "$1" "$PORT" "${2:-/}" <<'PY'
import socket, sys
count, port, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
for _ in range(count // 4):
    for connection in connections:
        connection.sendall(request)
    for connection in connections:
        data = b""
        while True:
            data += connection.recv(65536)
            end = data.find(b"\r\n\r\n")
            if end < 0:
                continue
            length = 0
            for line in data[:end].split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if len(data) >= end + 4 + length:
                break
PY
}

count() {  # count PATH BINARY ARGS...: prints instructions per request to PATH
    local path=$1 binary=$2
    shift 2
    # valgrind 3.19 cannot read the DWARF 5 the toolchain emits: count on a copy without it.
    strip --strip-debug -o "$scratch/server" "$binary"
    valgrind --tool=callgrind --callgrind-out-file="$scratch/out.%p" "$scratch/server" "$@" \
        >/dev/null 2>"$scratch/valgrind.log" &
    local pid=$!
    for _ in $(seq 120); do
        curl -sf "http://127.0.0.1:$PORT$path" >/dev/null && break
        sleep 0.5
    done
    drive 2000 "$path"
    callgrind_control -z "$pid" >/dev/null 2>&1
    drive "$N" "$path"
    callgrind_control -d "$pid" >/dev/null 2>&1
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    local total
    total=$(sed -n 's/^summary: //p' "$scratch/out.$pid.1")
    rm -f "$scratch"/out.*
    echo $((total / N))
}

if [ "${SET:-hello}" = openapi ]; then
    printf '| server | generated code (`/greet/{name}`) | hand-written route (`/plain/greet/{name}`) | generated − hand-written |\n|:--|--:|--:|--:|\n'
    for server in GreetAio GreetHummingbird; do
        generated=$(count "/greet/world?greeting=Hi" "$bin/$server" "$PORT" 1)
        plain=$(count "/plain/greet/world?greeting=Hi" "$bin/$server" "$PORT" 1)
        printf '| %s | %d | %d | %d |\n' "$server" "$generated" "$plain" "$((generated - plain))"
    done
    exit 0
fi
aio=$(count / "$bin/HelloAio" "$PORT" 1)
async=$(count / "$bin/HelloAio" "$PORT" 1 async)
middleware=$(count / "$bin/HelloAio" "$PORT" 1 middleware)
json=$(count /json "$bin/HelloAio" "$PORT" 1)
serve=$(count /status/200 "$aio_bin/aio" serve --port "$PORT" --threads 1)
raw=$(count / "$bin/HelloAio" "$PORT" 1 raw)
nio=$(count / "$bin/HelloNIO" "$PORT" 1)
canned=$(count / "$bin/HelloNIO" "$PORT" 1 canned)
printf '| server | instructions per request | server ÷ aio |\n|:--|--:|--:|\n'
for row in "aio (AioWeb, synchronous handler):$aio" "aio, the handler async:$async" \
    "aio, synchronous handler behind one middleware:$middleware" "aio /json (synchronous handler):$json" \
    "aio serve /status/200 (one middleware, routed):$serve" "aio raw (AioServer alone):$raw" \
    "raw NIOHTTP1:$nio" "SwiftNIO canned answer (no HTTP):$canned"; do
    name=${row%%:*}
    value=${row##*:}
    printf '| %s | %d | %.2f× |\n' "$name" "$value" "$(echo "$value / $aio" | bc -l)"
done
