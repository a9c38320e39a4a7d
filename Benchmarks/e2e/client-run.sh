#!/usr/bin/env bash
# Client comparison: one nginx worker on CPU 0 serves a 1 KiB and a 1 MiB file; each client runs
# on CPU 1 with keep-alive, 1 and 64 requests at a time, reading every body whole, in
# interleaved rounds: swift-aiohttp's ClientSession (ClientLoad aio), `aio bench`,
# AsyncHTTPClient (ClientLoad ahc: HTTP/1 only, its per-host soft limit raised to the
# concurrency), aiohttp's client, and wrk as the limit. Reports requests/s and requests per
# second of client CPU (user + system), medians of the rounds.
#   Benchmarks/e2e/client-run.sh              # 3 rounds of 10 s
#   ROUNDS=5 DURATION=20 Benchmarks/e2e/client-run.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-"aio aio-bench ahc aiohttp wrk"}
missing=()
for tool in wrk nginx taskset curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq wrk nginx-light util-linux curl >/dev/null
fi
bash ../../Scripts/install-test-peers.sh
find Sources ../../Sources/aio -name '*.swift' -exec touch {} +
swift build -c release --product ClientLoad 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
(cd ../.. && swift build -c release --product aio 2>&1 | tail -n 1)
aio_bin=$(cd ../.. && swift build -c release --show-bin-path)
python=../../.venv/bin/python
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"; [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null || true' EXIT
mkdir -p "$scratch/root"
head -c 1024 /dev/urandom > "$scratch/root/1k"
head -c 1048576 /dev/urandom > "$scratch/root/1m"
port=19200
sed -e "s|PORT|$port|; s|PIDFILE|$scratch/nginx.pid|; s|TMPDIR|$scratch|g; s|ROOT|$scratch/root|" nginx-files.conf > "$scratch/nginx.conf"
taskset -c 0 nginx -c "$scratch/nginx.conf" -p "$scratch" >/dev/null 2>&1 &
nginx_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/1k" >/dev/null && break; sleep 0.1; done

# run CLIENT URL CONCURRENCY: prints "requests/s cpu-seconds"
run() {
    local url=$2 concurrency=$3
    case $1 in
        aio) taskset -c 1 "$bin/ClientLoad" aio "$url" "$concurrency" "$DURATION" ;;
        ahc) taskset -c 1 "$bin/ClientLoad" ahc "$url" "$concurrency" "$DURATION" ;;
        aiohttp) taskset -c 1 "$python" client_aiohttp.py "$url" "$concurrency" "$DURATION" ;;
        aio-bench)
            python3 - "$aio_bin/aio" "$url" "$concurrency" "$DURATION" <<'PY'
import json, resource, subprocess, sys
aio, url, concurrency, seconds = sys.argv[1:]
out = subprocess.run(["taskset", "-c", "1", aio, "bench", url, "-c", concurrency, "-d", seconds, "--json"],
                     capture_output=True, text=True, check=True).stdout
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.0f %.3f" % (json.loads(out)["requests_per_second"], usage.ru_utime + usage.ru_stime))
PY
            ;;
        wrk)
            python3 - "$url" "$concurrency" "$DURATION" <<'PY'
import re, resource, subprocess, sys
url, concurrency, seconds = sys.argv[1:]
out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", "-c" + concurrency, "-d" + seconds + "s", url],
                     capture_output=True, text=True, check=True).stdout
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%s %.3f" % (re.search(r"Requests/sec:\s+([\d.]+)", out).group(1), usage.ru_utime + usage.ru_stime))
PY
            ;;
    esac
}

results="$scratch/results"
for round in $(seq "$ROUNDS"); do
    for client in $CLIENTS; do
        for size in 1k 1m; do
            for concurrency in 1 64; do
                read -r rate cpu < <(run "$client" "http://127.0.0.1:$port/$size" "$concurrency")
                echo "$round $client $size $concurrency $rate $cpu" >> "$results"
                echo "round $round  $client  $size  c=$concurrency  $rate req/s  cpu ${cpu}s" >&2
            done
        done
    done
done

python3 - "$results" "$DURATION" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
seconds = float(sys.argv[2])
table = {}
for _, client, size, concurrency, rate, cpu in rows:
    table.setdefault((client, size, concurrency), []).append((float(rate), float(rate) * seconds / max(float(cpu), 1e-3)))
clients = list(dict.fromkeys(row[1] for row in rows))
cases = [("1k", "1"), ("1k", "64"), ("1m", "1"), ("1m", "64")]
median = lambda key, index: statistics.median(value[index] for value in table[key])
print("| client | " + " | ".join(f"{s} c={c} req/s" for s, c in cases) + " | " + " | ".join(f"aio ÷ client ({s} c={c})" for s, c in cases) + " |")
print("|:--|" + "--:|" * (2 * len(cases)))
for client in clients:
    rates = ["%.0f" % median((client, s, c), 0) for s, c in cases]
    ratios = ["%.2f×" % (median(("aio", s, c), 0) / median((client, s, c), 0)) for s, c in cases]
    print(f"| {client} | " + " | ".join(rates) + " | " + " | ".join(ratios) + " |")
print()
print("| client | " + " | ".join(f"{s} c={c} req per CPU-s" for s, c in cases) + " |")
print("|:--|" + "--:|" * len(cases))
for client in clients:
    print(f"| {client} | " + " | ".join("%.0f" % median((client, s, c), 1) for s, c in cases) + " |")
PY
