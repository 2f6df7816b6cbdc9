#!/usr/bin/env bash
# The pycparser front end against every pycparser release pyproject.toml allows: for each released
# version in the declared range (other than the one the main test environment already has), a
# throwaway virtual environment gets klplint's wheel with its test extras and exactly that pycparser,
# and runs the front end's tests there (parity with libclang node for node, the pycparser-specific
# tests, the GNU constructs through both front ends).
# Usage: scripts/pycparser_versions.sh WHEEL [PYTHON]    (scripts/test.sh runs it after the suite)
set -euo pipefail
cd "$(dirname "$0")/.."

WHEEL="$1"
PY="${2:-python3}"
TESTS=(tests/test_parity.py tests/test_pycparser_frontend.py tests/test_gnu_constructs.py)

# The released versions inside the declared range, oldest first; the index is asked once.
versions=$("$PY" - <<'EOF'
import re, subprocess, sys
try:
    import tomllib
except ImportError:
    import tomli as tomllib
from packaging.requirements import Requirement
from packaging.version import Version
with open("pyproject.toml", "rb") as f:
    deps = tomllib.load(f)["project"]["dependencies"]
spec = next(Requirement(d).specifier for d in deps if Requirement(d).name == "pycparser")
out = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "pycparser"],
                     capture_output=True, text=True)
m = re.search(r"Available versions: (.*)", out.stdout)
if out.returncode != 0 or not m:
    sys.exit(f"pycparser_versions.sh: cannot list pycparser's releases: {out.stderr.strip()[-300:]}")
found = sorted(v for v in map(Version, m.group(1).split(", ")) if v in spec and not v.is_prerelease)
if not found:
    sys.exit(f"pycparser_versions.sh: no released pycparser matches {spec}")
print(" ".join(map(str, found)))
EOF
)
# the distribution's version, as pip names it (pycparser.__version__ spells 3.1 "3.01")
installed='from importlib.metadata import version; print(version("pycparser"))'
have=$("$PY" -c "$installed" 2>/dev/null || true)
echo "pycparser releases in the declared range: $versions (the main test environment has ${have:-none})"

failed=()
for v in $versions; do
    [ "$v" = "$have" ] && continue
    tmp=$(mktemp -d)
    "$PY" -m venv "$tmp/venv"
    "$tmp/venv/bin/python" -m pip install -q --upgrade pip
    "$tmp/venv/bin/python" -m pip install -q "$WHEEL[test]" "pycparser==$v"
    got=$("$tmp/venv/bin/python" -c "$installed")
    if [ "$got" != "$v" ]; then
        echo "pycparser_versions.sh: asked for pycparser $v, got $got" >&2
        failed+=("$v")
    else
        echo "--- the pycparser front end's tests with pycparser $v"
        # the console script, not `python -m pytest`: the installed klplint, not the checkout
        "$tmp/venv/bin/pytest" -n 2 -q -p no:cacheprovider "${TESTS[@]}" || failed+=("$v")
    fi
    rm -rf "$tmp"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "pycparser_versions.sh: the pycparser front end fails with pycparser ${failed[*]}" >&2
    exit 1
fi
