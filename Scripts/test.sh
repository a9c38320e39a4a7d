#!/usr/bin/env bash
# The test command: installs the peers the interop tests drive, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-test-peers.sh
swift test "$@"
