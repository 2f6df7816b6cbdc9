"""A private runtime folder for `kbuild-check --server` in tests, and stopping what was started in it."""
from __future__ import annotations

import os
import shutil
import tempfile

from klplint.cli import kbuild_server


def private_runtime() -> str:
    """A fresh XDG_RUNTIME_DIR, short (socket paths are limited to ~107 bytes) and mode 0700."""
    base = tempfile.mkdtemp(prefix="klr")
    os.chmod(base, 0o700)
    return base


def stop_servers(runtime: str) -> None:
    """Stop every server started with `runtime` as XDG_RUNTIME_DIR, then remove the folder."""
    kbuild_server.stop_servers(runtime)
    shutil.rmtree(runtime, ignore_errors=True)
