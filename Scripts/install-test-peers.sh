#!/usr/bin/env bash
# Installs the real peers the interop tests drive: Debian packages (curl, openssl, python3, ss,
# chromium and a CJK font for its screenshots, tinyproxy, nginx and its stream module, haproxy, prometheus's promtool), a virtualenv in .venv with the Python clients and servers, and Autobahn's wstest.
# Idempotent; quick when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in curl openssl python3 chromium tinyproxy nginx haproxy; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
command -v promtool >/dev/null || missing+=(prometheus)
command -v ss >/dev/null || missing+=(iproute2)
# The demo pages show Japanese file names: without a CJK font Chromium draws boxes (1.6 MB).
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
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

# The Autobahn WebSocket testsuite: wstest is Python 2 code, run from a Python 2.7 virtualenv
# (pyenv's 2.7.18, installed when missing) with its dependencies pinned.
wstest_requirements=Tests/Interop/autobahn/requirements-wstest-py27.txt
wstest_stamp=.venv-wstest/.requirements.sha256
wstest_wanted=$(sha256sum "$wstest_requirements" | cut -d' ' -f1)
if [ ! -x .venv-wstest/bin/wstest ] || [ "$(cat "$wstest_stamp" 2>/dev/null)" != "$wstest_wanted" ]; then
    command -v pyenv >/dev/null || { echo "pyenv is needed to install Python 2.7 for wstest" >&2; exit 1; }
    python27="$(pyenv root)/versions/2.7.18/bin/python2.7"
    [ -x "$python27" ] || pyenv install -s 2.7.18
    python3 -m venv .venv-tools
    .venv-tools/bin/pip install -q --disable-pip-version-check 'virtualenv<20.22'
    rm -rf .venv-wstest
    .venv-tools/bin/virtualenv -q -p "$python27" .venv-wstest
    .venv-wstest/bin/pip install -q --disable-pip-version-check -r "$wstest_requirements" 2>&1 | grep -v DEPRECATION || true
    .venv-wstest/bin/wstest -a >/dev/null
    echo "$wstest_wanted" > "$wstest_stamp"
fi
