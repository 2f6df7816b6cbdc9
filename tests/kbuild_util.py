"""Finding Debian's kbuild tree for tests, and building modules out of tree with it."""
from __future__ import annotations

import glob
import os
import subprocess

import pytest


def kernel_build_dir() -> str:
    """The kbuild tree of Debian's linux-headers-*-amd64; skip (fail under CI) when absent."""
    env = os.environ.get("KLPLINT_KDIR")
    candidates = [env] if env else sorted(glob.glob("/usr/src/linux-headers-*-amd64"))
    for c in reversed(candidates):
        if c and os.path.isfile(os.path.join(c, "Makefile")):
            return c
    msg = "Debian's linux-headers-amd64 is not installed (apt-get install linux-headers-amd64)"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def uses_hooks_api(text: str) -> bool:
    """Files written for the hooks API only build against klplint's bundled headers."""
    return "patch_hooks" in text or "unpatch_hooks" in text or "struct klp_hook" in text


def kbuild(kdir: str, folder: str, modules, target: str = "modules", timeout: int = 600):
    with open(os.path.join(folder, "Makefile"), "w") as f:
        f.write("".join(f"obj-m += {m}.o\n" for m in modules))
    return subprocess.run(["make", "-k", "-j2", "-C", kdir, f"M={folder}", target],
                          capture_output=True, text=True, timeout=timeout)
