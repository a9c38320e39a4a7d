#!/usr/bin/env bash
# The test command: installs the peers the interop tests drive, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-test-peers.sh
# SwiftNIO's strict mode: work scheduled on an event loop that has shut down crashes the run
# (with a backtrace to the culprit) instead of printing a warning nobody reads.
if [ $# -gt 0 ]; then
    SWIFTNIO_STRICT=1 swift test "$@"
    exit
fi
# The Autobahn testsuite gives most cases about a second, closing handshake included. Beside the
# other tests on two cores its single Python process sometimes misses that (a different case each
# time, never alone), so its two runs (server and client) go after the rest, by themselves.
SWIFTNIO_STRICT=1 swift test --skip autobahn
SWIFTNIO_STRICT=1 swift test --skip-build --filter autobahn
