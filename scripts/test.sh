#!/usr/bin/env bash
# The test command of the README: installs what the tests need (Debian's kernel packages when run as
# root), builds klplint's wheel, installs it with its test extras into a virtual environment of its
# own (.venv-test: the system Python is never touched, an externally managed one included) and runs
# the whole suite, oracle included, against that install.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests use, and nothing that replaces a system tool: the oracle packs busybox-static
# into its initramfs; no test needs a static bash.
# The kernel oracle boots both series: Debian 12's 6.1 (linux-image-amd64) and 6.12, by the
# metapackages that follow the newest release of each (no point release named here).
DEBIAN_PACKAGES=(linux-headers-amd64 linux-source-6.1 linux-source-6.12 linux-image-amd64
                 linux-image-6.12-amd64 linux-headers-6.12-amd64 qemu-system-x86 busybox-static
                 cpio kmod sparse clang make gcc bc flex bison libelf-dev xz-utils git
                 python3 python3-venv)

# apt as root, or through sudo for a user
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}
# Installs those of the packages this machine's apt knows: a Debian package another distribution
# lacks (Ubuntu has no linux-source-6.1) is named, and the tests needing it skip.
apt_install_known() {
    local known=() p
    for p in "$@"; do
        if apt-cache show "$p" >/dev/null 2>&1; then
            known+=("$p")
        else
            echo "scripts/test.sh: no package $p on this machine: the tests that need it will be skipped" >&2
        fi
    done
    [ ${#known[@]} -eq 0 ] || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${known[@]}"
}

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    missing=()
    for p in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt_install_known "${missing[@]}"
    fi
    # the kpatch corpus's 6.12 diffs need the headers (.config) of the same 6.12 release as the source
    v612=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null | sed 's/-.*//' || true)
    if [ -n "$v612" ] && ! dpkg-query -W -f='${Status}' "linux-headers-$v612+deb12-amd64" 2>/dev/null | grep -q "install ok installed"; then
        apt_install_known "linux-headers-$v612+deb12-amd64"
    fi
else
    echo "scripts/test.sh: not root or no apt-get: tests needing Debian's kernel packages will be skipped" >&2
fi

VENV="${KLPLINT_TEST_VENV:-.venv-test}"
# As scripts/install.sh: without Debian's python3-venv (ensurepip), `python3 -m venv` fails and leaves
# a folder with a python and no pip; python3-venv is installed then (with sudo when not root).
command -v python3 >/dev/null 2>&1 || { as_root apt-get update -q; apt_install_known python3 python3-venv; }
if [ ! -x "$VENV/bin/pip" ]; then
    [ ! -f "$VENV/pyvenv.cfg" ] || rm -rf "$VENV"
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
        [ ! -f "$VENV/pyvenv.cfg" ] || rm -rf "$VENV"
        command -v apt-get >/dev/null 2>&1 || { echo "scripts/test.sh: python3 -m venv failed" >&2; exit 2; }
        as_root apt-get update -q
        apt_install_known python3-venv
        python3 -m venv "$VENV"
    fi
fi
PY="$VENV/bin/python"

# The product as users get it: the wheel, not the checkout (package data is tested that way).
DIST=.dist-test
rm -rf "$DIST" build      # setuptools' build/ would carry files deleted since into the wheel
"$PY" -m pip install -q --upgrade pip
"$PY" -m pip wheel -q --no-deps . -w "$DIST"
WHEEL="$(ls "$DIST"/klplint-*.whl)"
"$PY" -m pip install -q "$WHEEL[test]"
"$PY" -m pip install -q --force-reinstall --no-deps "$WHEEL"   # same version number, new code

# Extra test tools (one line each, keep them here):
# --- the real counterparts of the user-facing tests (test_errorformat, test_neovim, test_emacs, test_sarif) ---
# Vim reads make's output with its gcc errorformat, Neovim and Emacs' eglot drive the language
# server, and Microsoft's SARIF multitool (npm) validates the SARIF with GitHub's rules and ships the
# schema. Asked by command, not by package: a machine may have node and npm from elsewhere, and
# Debian's npm package conflicts with another nodejs. eglot is asked by package: Debian 12's Emacs
# 28 has it only as elpa-eglot (Emacs 29 and later have it built in).
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    need=()
    command -v vim >/dev/null 2>&1 || need+=(vim)
    command -v nvim >/dev/null 2>&1 || need+=(neovim)
    command -v npm >/dev/null 2>&1 || need+=(npm)
    command -v emacs >/dev/null 2>&1 || need+=(emacs-nox)
    dpkg-query -W -f='${Status}' elpa-eglot 2>/dev/null | grep -q "install ok installed" || need+=(elpa-eglot)
    if [ ${#need[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt_install_known "${need[@]}"
    fi
fi
export KLPLINT_NPM_DIR="${KLPLINT_NPM_DIR:-$HOME/.cache/klplint/npm}"
if command -v npm >/dev/null 2>&1 && [ ! -x "$KLPLINT_NPM_DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
    mkdir -p "$KLPLINT_NPM_DIR"
    npm install -q --no-audit --no-fund --prefix "$KLPLINT_NPM_DIR" @microsoft/sarif-multitool@5.7.0
    chmod u+x "$KLPLINT_NPM_DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
fi
# --- end of the counterparts ---

# pytest's console script, not `python -m pytest`: the checkout's folder is not put on sys.path,
# so the tests import the installed klplint.
PATH="$VENV/bin:$PATH" bash scripts/lint.sh
status=0
"$VENV/bin/pytest" -n 2 -q "$@" || status=$?
# The whole suite (no test selected): the pycparser front end also against every other pycparser
# release the metadata allows, each in a throwaway environment.
if [ $# -eq 0 ]; then
    bash scripts/pycparser_versions.sh "$WHEEL" "$PY" || status=1
fi
exit $status
