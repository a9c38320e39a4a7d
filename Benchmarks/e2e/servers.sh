# The servers of the end-to-end comparisons, started one at a time on CPU 0 with THREADS event
# loops; sourced by run.sh and ws-run.sh, which set `bin` and `scratch`.

start() {  # start NAME PORT: starts the server in the background, sets pid
    case $1 in
        aio) taskset -c 0 "$bin/HelloAio" "$2" "$THREADS" >/dev/null 2>&1 & ;;
        aio-async) taskset -c 0 "$bin/HelloAio" "$2" "$THREADS" async >/dev/null 2>&1 & ;;
        aio-pool) taskset -c 0 "$bin/HelloAio" "$2" "$THREADS" pool >/dev/null 2>&1 & ;;
        aio-middleware) taskset -c 0 "$bin/HelloAio" "$2" "$THREADS" middleware >/dev/null 2>&1 & ;;
        aio-serve) taskset -c 0 "$aio_bin/aio" serve --port "$2" --threads "$THREADS" >/dev/null 2>&1 & ;;
        hummingbird) taskset -c 0 "$bin/HelloHummingbird" "$2" "$THREADS" >/dev/null 2>&1 & ;;
        openapi-aio) taskset -c 0 "$bin/GreetAio" "$2" "$THREADS" >/dev/null 2>&1 & ;;
        openapi-hummingbird) taskset -c 0 "$bin/GreetHummingbird" "$2" "$THREADS" >/dev/null 2>&1 & ;;
        vapor) taskset -c 0 "$bin/HelloVapor" "$2" "$THREADS" >/dev/null 2>&1 & ;;
        nio) taskset -c 0 "$bin/HelloNIO" "$2" "$THREADS" >/dev/null 2>&1 & ;;
        nio-canned) taskset -c 0 "$bin/HelloNIO" "$2" "$THREADS" canned >/dev/null 2>&1 & ;;
        aiohttp) taskset -c 0 ../../.venv/bin/python hello_aiohttp.py "$2" >/dev/null 2>&1 & ;;
        nginx)
            sed -e "s|PORT|$2|; s|PIDFILE|$scratch/nginx.pid|; s|TMPDIR|$scratch|g" nginx.conf > "$scratch/nginx.conf"
            taskset -c 0 nginx -c "$scratch/nginx.conf" -p "$scratch" >/dev/null 2>&1 & ;;
    esac
    pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/" >/dev/null && return 0; sleep 0.1; done
    echo "$1 did not start" >&2
    return 1
}

stop() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}

wrk_run() {  # wrk_run [WRK OPTIONS…] URL: wrk -t1 -c64 on CPU 1, 2 s of warm-up then DURATION;
    # prints "REQUESTS/S P99 ERRORS…" (errors: wrk's non-2xx and socket error lines, if any)
    taskset -c 1 wrk -t1 -c64 -d2s "$@" >/dev/null
    local out
    out=$(taskset -c 1 wrk -t1 -c64 -d"$DURATION" --latency "$@")
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1 == "99%" {print $2}') $(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')"
}

cpu_ticks() {  # cpu_ticks PID: user + system time of the process so far, in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat"
}
