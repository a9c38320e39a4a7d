#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs one of them.
#   Fuzz/run.sh FuzzRequestParser 600      # ten minutes
#   Fuzz/run.sh all 30                     # every target for 30 s (the CI smoke run)
# Seeds come from ../shared/conformance when it is there; findings land in Fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-all}
seconds=${2:-30}

swift build -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
    2>&1 | grep -Ev "ld.gold: warning: Cannot export local symbol" | tail -n 3
bin=$(swift build -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address --show-bin-path)

seed() {  # seed <kind> <dir>: the raw cases of the llhttp corpus as seed inputs
    local kind=$1 dir=$2
    mkdir -p "$dir"
    local corpus="../../shared/conformance/llhttp_${kind}.json"
    [ -f "$corpus" ] || return 0
    python3 - "$corpus" "$dir" <<'PY'
import json, sys, hashlib, os
for case in json.load(open(sys.argv[1])):
    raw = case["raw"].encode("latin-1")
    open(os.path.join(sys.argv[2], hashlib.sha1(raw).hexdigest()), "wb").write(raw)
PY
}

seed_multipart() {  # a few bodies with every feature the reader has
    local dir=$1
    mkdir -p "$dir"
    printf -- '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n' > "$dir/form"
    printf -- 'pre\r\n--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=3Db=\r\nc\r\n--c--\r\n--b--\r\nepilogue' > "$dir/nested"
    printf -- '--b \r\n\r\n\r\n--b\r\nContent-Encoding: gzip\r\n\r\n' > "$dir/gzip"
    printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00\x00\x00\r\n--b--' >> "$dir/gzip"
}

seed_disposition() {  # the headers of the shared tc2231-style corpus
    local dir=$1
    mkdir -p "$dir"
    local corpus=../../shared/conformance/content_disposition.json
    [ -f "$corpus" ] || return 0
    python3 - "$corpus" "$dir" <<'PY'
import json, sys, hashlib, os
for case in json.load(open(sys.argv[1]))["cases"]:
    raw = case["header"].encode("latin-1")
    open(os.path.join(sys.argv[2], hashlib.sha1(raw).hexdigest()), "wb").write(raw)
PY
}

seed_websocket() {  # a masked fragmented text with a ping between, an unmasked close, a compressed text
    local dir=$1
    mkdir -p "$dir"
    printf '\x00\x01\x83\x01\x02\x03\x04\x49\x67\x6f\x89\x80\x01\x02\x03\x04\x80\x82\x01\x02\x03\x04\x6c\x6d\x88\x82\x01\x02\x03\x04\x02\xea' > "$dir/server"
    printf '\x01\x82\x03\xce\xba\x88\x02\x03\xe8' > "$dir/client"
    printf '\x02\xc1\x87\x00\x00\x00\x00\xca\x48\xcd\xc9\xc9\x07\x00' > "$dir/deflate"
}

seed_cookies() {  # Set-Cookie values with every attribute the jar reads
    local dir=$1
    mkdir -p "$dir"
    printf 'sid=abc; Domain=.Example.com; Path=/a; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Max-Age=60; Secure; HttpOnly; SameSite=Lax' > "$dir/full"
    printf 'a=b; Domain=127.0.0.1; Path=; Expires=Sun, 06 Nov 1994 08:49:37 GMT' > "$dir/address"
    printf ' spaced = "quoted value" ;path=/x/ ; max-age=-1' > "$dir/spaced"
}

seed_digest() {  # challenges as RFC 7616 and httpbin write them
    local dir=$1
    mkdir -p "$dir"
    printf 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"' > "$dir/rfc"
    printf 'Basic realm="x", Digest realm="me@kennethreitz.com", nonce="a\\"b", qop=auth, algorithm=SHA-512-256-sess, userhash=true, stale=TRUE' > "$dir/mixed"
}

seed_proxy() {  # PROXY headers as HAProxy and nginx send them, each followed by a request
    local dir=$1
    mkdir -p "$dir"
    printf 'PROXY TCP4 203.0.113.7 192.0.2.1 41000 443\r\nGET / HTTP/1.1\r\n\r\n' > "$dir/v1"
    printf 'PROXY TCP6 2001:db8::7 ::ffff:192.0.2.1 41000 443\r\n' > "$dir/v1-tcp6"
    printf 'PROXY UNKNOWN\r\n' > "$dir/v1-unknown"
    # v2, PROXY over TCP4, with ALPN, authority, unique id and SSL (with its version) TLVs.
    printf '\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x38\xcb\x00\x71\x07\xc0\x00\x02\x01\xa0\x28\x01\xbb\x01\x00\x02h2\x02\x00\x0bexample.com\x05\x00\x04abcd\x20\x00\x0f\x01\x00\x00\x00\x00\x21\x00\x07TLSv1.3GET' > "$dir/v2"
    printf '\r\n\r\n\x00\r\nQUIT\n\x20\x00\x00\x00' > "$dir/v2-local"
}

run_one() {
    local name=$1 corpus=../.build-fuzz-corpus/$1
    case $name in
        FuzzRequestParser) seed requests "$corpus" ;;
        FuzzResponseParser) seed responses "$corpus" ;;
        FuzzMultipartReader) seed_multipart "$corpus" ;;
        FuzzContentDisposition) seed_disposition "$corpus" ;;
        FuzzWebSocketFrames) seed_websocket "$corpus" ;;
        FuzzCookieParser) seed_cookies "$corpus" ;;
        FuzzDigestChallenge) seed_digest "$corpus" ;;
        FuzzProxyProtocol) seed_proxy "$corpus" ;;
        *) mkdir -p "$corpus"; printf '5\r\nhello\r\n0\r\nT: v\r\n\r\n' > "$corpus/seed" ;;
    esac
    mkdir -p crashes
    echo "== $name for ${seconds}s"
    SWIFT_BACKTRACE=enable=no "$bin/$name" "$corpus" -dict=http.dict -max_total_time="$seconds" \
        -max_len=4096 -timeout=10 -rss_limit_mb=2048 -artifact_prefix=crashes/ -print_final_stats=1 \
        2>&1 | grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|Done [0-9]+ runs" || true
    # libFuzzer exits non-zero on a finding and leaves the input in crashes/.
    if compgen -G "crashes/*" >/dev/null; then
        echo "finding in $name: $(ls crashes)" >&2
        exit 1
    fi
}

if [ "$target" = all ]; then
    for name in FuzzRequestParser FuzzResponseParser FuzzChunkedDecoder FuzzMultipartReader FuzzContentDisposition FuzzWebSocketFrames FuzzCookieParser FuzzDigestChallenge FuzzProxyProtocol; do
        run_one "$name"
    done
else
    run_one "$target"
fi
