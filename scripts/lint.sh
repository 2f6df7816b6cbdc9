#!/usr/bin/env bash
# Lint and types, as CI runs them (scripts/test.sh calls this before the tests): ruff over the whole
# repository, mypy over the analyzer's layers and the packages that pass ([tool.mypy] in pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m ruff check .
python3 -m mypy
