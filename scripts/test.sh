#!/usr/bin/env bash
# The test command of the README: installs what the tests need (Debian's kernel packages when run as
# root, klplint with its test extras) and runs the whole suite, oracle included.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(linux-headers-amd64 linux-source-6.1 linux-source-6.12 linux-headers-6.12.117+deb12-amd64 linux-image-amd64 qemu-system-x86 busybox-static
                 cpio kmod bash-static sparse clang make gcc bc flex bison libelf-dev xz-utils git)

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    missing=()
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
else
    echo "scripts/test.sh: not root or no apt-get: tests needing Debian's kernel packages will be skipped" >&2
fi

python3 -m pip install -q -e '.[test]'
exec python3 -m pytest -n 2 -q "$@"
