#!/usr/bin/env bash
# Instructions per parse for each side and input, counted by valgrind's callgrind (repeatable on
# a busy machine, unlike time): each run is counted at two repetition counts and the difference
# divided, so start-up cost drops out.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product WireCount 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)/WireCount
# valgrind 3.19 cannot read the DWARF 5 the toolchain emits: count on a copy without it.
copy=$(mktemp)
strip --strip-debug -o "$copy" "$bin"
count() {  # count SIDE INPUT N -> total instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$copy" "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
names=("browser GET" "POST 1 KiB" "chunked 64 KiB" "16 pipelined GETs")
printf '| input | AioWire parser | AioWire in EmbeddedChannel | NIOHTTP1 + conversion | peer / AioWire | peer / AioWire in channel |\n'
printf '|:--|--:|--:|--:|--:|--:|\n'
for input in 0 1 2 3; do
    declare -A per
    for side in aio aioChannel nio; do
        low=$(count $side $input 200)
        high=$(count $side $input 1200)
        per[$side]=$(( (high - low) / 1000 ))
    done
    printf '| %s | %d | %d | %d | %.2f× | %.2f× |\n' "${names[$input]}" "${per[aio]}" "${per[aioChannel]}" "${per[nio]}" \
        "$(echo "${per[nio]} / ${per[aio]}" | bc -l)" "$(echo "${per[nio]} / ${per[aioChannel]}" | bc -l)"
done
rm -f "$copy"
