"""Finding Debian's kbuild tree for tests, and building modules out of tree with it."""
from __future__ import annotations

import glob
import os
import subprocess

import pytest


def kernel_build_dir(version: str = "6.1") -> str:
    """The kbuild tree of Debian's linux-headers-<version>*-amd64 (6.1 by default, the version of
    the kernel source the tests use); skip (fail under CI) when absent."""
    env = os.environ.get("KLPLINT_KDIR") if version == "6.1" else None
    candidates = [env] if env else sorted(glob.glob(f"/usr/src/linux-headers-{version}.[0-9]*-amd64"))
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


def uses_pre_5_1_api(text: str) -> bool:
    """Files written for a core before 5.1 (the hooks API, or klp_register_patch() of the 4.15-5.0
    callbacks API) do not build with kbuild against 6.1's headers: 6.1 declares neither. klplint
    still analyses the callbacks-era ones in that header mode (an undeclared call is no error
    there), so only kbuild skips them."""
    return uses_hooks_api(text) or "klp_register_patch" in text


def kbuild(kdir: str, folder: str, modules, target: str = "modules", timeout: int = 600):
    with open(os.path.join(folder, "Makefile"), "w") as f:
        f.write("".join(f"obj-m += {m}.o\n" for m in modules))
    return subprocess.run(["make", "-k", "-j2", "-C", kdir, f"M={folder}", target],
                          capture_output=True, text=True, timeout=timeout)
