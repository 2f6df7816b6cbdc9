"""Microsoft's SARIF multitool for the tests: where scripts/test.sh installs it (npm), and the SARIF
2.1.0 schema it ships, which the schema tests validate against."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import pytest


def npm_dir() -> Path:
    return Path(os.environ.get("KLPLINT_NPM_DIR", Path.home() / ".cache" / "klplint" / "npm"))


def multitool() -> Optional[Path]:
    """The multitool's executable (the linux build of @microsoft/sarif-multitool), or None."""
    exe = npm_dir() / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
    return exe if exe.is_file() else None


def _missing(what: str):
    msg = (f"{what} is missing: scripts/test.sh installs @microsoft/sarif-multitool with npm into "
           f"{npm_dir()} (or $KLPLINT_NPM_DIR)")
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def require_multitool() -> Path:
    exe = multitool()
    if exe is None or not os.access(exe, os.X_OK):
        _missing("the SARIF multitool")
    return exe


def schema_path() -> Path:
    """The official SARIF 2.1.0 JSON schema: $KLPLINT_SARIF_SCHEMA, else the multitool's copy."""
    env = os.environ.get("KLPLINT_SARIF_SCHEMA")
    if env and Path(env).is_file():
        return Path(env)
    shipped = npm_dir() / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "sarif-2.1.0.json"
    if shipped.is_file():
        return shipped
    _missing("the SARIF 2.1.0 schema")
