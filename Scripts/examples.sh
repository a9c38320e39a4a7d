#!/usr/bin/env bash
# Builds the example apps (Examples/, a package of their own) and runs their tests. They share
# this package's build folder, so the modules `swift test` has built are not built again; only
# GRDB and the examples are. Arguments go to `swift test` (--filter ...).
set -euo pipefail
cd "$(dirname "$0")/.."
# GRDB links the system's SQLite.
if [ ! -f /usr/include/sqlite3.h ]; then
    apt-get update -qq && apt-get install -y -qq libsqlite3-dev >/dev/null
fi
SWIFTNIO_STRICT=1 swift test --package-path Examples --scratch-path "$PWD/.build" "$@"
