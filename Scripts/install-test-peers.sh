#!/usr/bin/env bash
# Installs the real peers the interop tests drive: Debian packages (curl, openssl, python3) and a
# virtualenv in .venv with the Python clients and servers. Idempotent; quick when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in curl openssl python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" curl >/dev/null
fi

requirements=Tests/Interop/requirements.txt
stamp=.venv/.requirements.sha256
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
    echo "$wanted" > "$stamp"
fi
