"""A private runtime folder for `kbuild-check --server` in tests, and stopping what was started in it."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import tempfile


def private_runtime() -> str:
    """A fresh XDG_RUNTIME_DIR, short (socket paths are limited to ~107 bytes) and mode 0700."""
    base = tempfile.mkdtemp(prefix="klr")
    os.chmod(base, 0o700)
    return base


def stop_servers(runtime: str) -> None:
    """SIGTERM every server that holds a lock in `runtime`, then remove the folder."""
    for lock in glob.glob(os.path.join(runtime, "klplint-*", "*.lock")):
        try:
            with open(lock) as f:
                os.kill(int(f.read().split()[0]), signal.SIGTERM)
        except (ValueError, IndexError, OSError):
            pass
    shutil.rmtree(runtime, ignore_errors=True)
