"""The livepatch parts of Debian's linux-source-6.1 (and 6.12) tarball, extracted once into a cache folder.

Tests use the kernel's own livepatch samples, test modules and selftests as inputs. They are
GPL text and never live in this repository: ``extract_kernel_source()`` unpacks just these
folders from the tarball into a cache directory outside the repository and returns the root
of the extracted tree (the folder holding ``samples/``, ``lib/``, ...). The extraction is
redone only when the tarball changes (its size or mtime), and is safe when several pytest
workers ask at once (a file lock, and an atomic rename into place).

Settings (environment):
    KLPLINT_KERNEL_TARBALL  the tarball (default /usr/src/linux-source-6.1.tar.xz)
    KLPLINT_TEST_CACHE      the cache folder (default $XDG_CACHE_HOME or ~/.cache, + /klplint-tests)

Tests normally use the session fixture ``kernel_source`` from conftest.py, which skips
cleanly when the tarball is not installed (Debian: apt-get install linux-source-6.1);
``kernel_source_of("6.12")`` gives the tree of another version (linux-source-6.12).
"""
from __future__ import annotations

import fcntl
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List, Optional

DEFAULT_TARBALL = Path("/usr/src/linux-source-6.1.tar.xz")

#: What is extracted, relative to the top of the source tree (folders end with "/").
MEMBERS = (
    "samples/livepatch/",
    "lib/livepatch/",
    "tools/testing/selftests/livepatch/",
    "kernel/livepatch/",
    "include/linux/livepatch.h",
)

_STAMP = ".klplint-extracted"

# 6.1 keeps the livepatch test modules in lib/livepatch/, 6.11+ in the selftests' test_modules/.
_MEMBERS_OF_VERSION = {"6.12": tuple(m for m in MEMBERS if m != "lib/livepatch/")}


def members_of(tarball: Path) -> tuple:
    top = _top_dir_name(tarball)
    return _MEMBERS_OF_VERSION.get(top.rsplit("-", 1)[-1], MEMBERS)


class KernelSourceUnavailable(Exception):
    """The tarball is not installed (a reason to skip, not a failure)."""


def tarball_path() -> Path:
    return Path(os.environ.get("KLPLINT_KERNEL_TARBALL") or DEFAULT_TARBALL)


def cache_root() -> Path:
    env = os.environ.get("KLPLINT_TEST_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "klplint-tests"


def _top_dir_name(tarball: Path) -> str:
    name = tarball.name
    for suffix in (".tar.xz", ".tar.gz", ".tar.bz2", ".tar.zst", ".tar", ".txz", ".tgz"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _stamp_text(tarball: Path) -> str:
    st = tarball.stat()
    return f"{tarball.resolve()}\n{st.st_size}\n{st.st_mtime_ns}\n" + "\n".join(members_of(tarball)) + "\n"


def _is_current(dest: Path, stamp: str) -> bool:
    try:
        return (dest / _STAMP).read_text() == stamp
    except OSError:
        return False


def _extract(tarball: Path, top: str, into: Path) -> Path:
    patterns = [f"{top}/{m}*" if m.endswith("/") else f"{top}/{m}" for m in members_of(tarball)]
    cmd = ["tar", "-xf", str(tarball), "-C", str(into), "--wildcards", "--no-same-owner"] + patterns
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"extracting {tarball} failed ({' '.join(cmd)}):\n{proc.stderr}")
    root = into / top
    if not (root / "samples" / "livepatch").is_dir():
        raise RuntimeError(f"{tarball}: no {top}/samples/livepatch in the archive")
    return root


def extract_kernel_source(tarball: Optional[Path] = None, cache: Optional[Path] = None) -> Path:
    """Extract (if needed) and return the root of the kernel source subset.

    Raises KernelSourceUnavailable when the tarball is absent; any other problem (a broken
    tarball, no tar) is an error.
    """
    tarball = Path(tarball) if tarball else tarball_path()
    if not tarball.is_file():
        raise KernelSourceUnavailable(
            f"{tarball} is not installed (Debian: apt-get install {_top_dir_name(tarball)})")
    cache = Path(cache) if cache else cache_root()
    cache.mkdir(parents=True, exist_ok=True)
    top = _top_dir_name(tarball)
    dest = cache / top
    stamp = _stamp_text(tarball)
    if _is_current(dest, stamp):
        return dest
    with open(cache / f"{top}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _is_current(dest, stamp):  # another worker did it while we waited
            return dest
        tmp = Path(tempfile.mkdtemp(prefix=f".{top}-", dir=cache))
        try:
            root = _extract(tarball, top, tmp)
            (root / _STAMP).write_text(stamp)
            if dest.exists():
                shutil.rmtree(dest)
            os.rename(root, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


@functools.lru_cache(maxsize=None)
def kernel_source_root() -> Path:
    """extract_kernel_source() with the default settings, once per process."""
    return extract_kernel_source()


@functools.lru_cache(maxsize=None)
def kernel_source_of(version: str) -> Path:
    """The extracted tree of linux-source-<version> (KernelSourceUnavailable when not installed)."""
    if version == "6.1":
        return kernel_source_root()
    return extract_kernel_source(Path(f"/usr/src/linux-source-{version}.tar.xz"))


def livepatch_module_sources(root: Path) -> List[Path]:
    """The kernel's livepatch sample modules and livepatch test modules, sorted."""
    root = Path(root)
    return sorted((root / "samples" / "livepatch").glob("*.c")) + \
        sorted((root / "lib" / "livepatch").glob("test_klp_*.c")) + \
        sorted((root / "tools" / "testing" / "selftests" / "livepatch" / "test_modules").glob("test_klp_*.c"))
