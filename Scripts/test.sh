#!/usr/bin/env bash
# The test command: installs the peers the interop tests drive, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-test-peers.sh
# SwiftNIO's strict mode: work scheduled on an event loop that has shut down crashes the run
# (with a backtrace to the culprit) instead of printing a warning nobody reads.
SWIFTNIO_STRICT=1 swift test "$@"
