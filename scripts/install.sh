#!/usr/bin/env bash
# The README's install command: klplint from this checkout into a virtual environment (.venv), then a
# check of the bundled example. A fresh Debian or Ubuntu machine may lack Python's venv (its pip
# bootstrap is the python3-venv package; the system Python is externally managed, so pip cannot
# install into it): then python3 and python3-venv are installed first, with sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

if ! command -v python3 >/dev/null 2>&1; then
    apt_install python3 python3-venv
fi
if [ ! -x .venv/bin/pip ]; then
    rm -rf .venv
    if ! python3 -m venv .venv >/dev/null 2>&1; then
        rm -rf .venv
        command -v apt-get >/dev/null 2>&1 || { echo "scripts/install.sh: python3 -m venv failed" >&2; exit 2; }
        apt_install python3-venv
        python3 -m venv .venv
    fi
fi
.venv/bin/pip install -q .
exec .venv/bin/klplint check examples/
