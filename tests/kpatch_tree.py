"""The parts of Debian's linux-source-6.1 that the kpatch corpus diffs touch, extracted once into the
test cache (never into the repository), and the matching linux-headers tree for .config.

A diff is checked against a kernel source tree: its include/ and arch/x86/include/ (the tree's own
headers), the top Makefile, and the folders of the patched files with their Makefiles. Same cache,
lock and stamp scheme as kernel_source.py, in a folder of its own.
"""
from __future__ import annotations

import fcntl
import functools
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kernel_source import KernelSourceUnavailable, _top_dir_name, cache_root, tarball_path

MEMBERS = ("Makefile", "include/", "arch/x86/include/", "kernel/", "fs/proc/", "net/ipv4/")
_STAMP = ".klplint-kpatch-extracted"


def _stamp_text(tarball: Path) -> str:
    st = tarball.stat()
    return f"{tarball.resolve()}\n{st.st_size}\n{st.st_mtime_ns}\n" + "\n".join(MEMBERS) + "\n"


def _current(dest: Path, stamp: str) -> bool:
    try:
        return (dest / _STAMP).read_text() == stamp
    except OSError:
        return False


VERSIONS = ("6.1", "6.12")


def _tarball(version: str) -> Path:
    """KLPLINT_KERNEL_TARBALL (6.1, as tests/kernel_source.py) or KLPLINT_KERNEL_TARBALL_6_12 overrides."""
    if version == "6.1":
        return tarball_path()
    env = os.environ.get("KLPLINT_KERNEL_TARBALL_" + version.replace(".", "_"))
    return Path(env or f"/usr/src/linux-source-{version}.tar.xz")


@functools.lru_cache(maxsize=None)
def kpatch_tree(version: str = "6.1") -> Path:
    """The top of the extracted tree (holding Makefile, include/, kernel/, ...)."""
    tarball = _tarball(version)
    if not tarball.is_file():
        raise KernelSourceUnavailable(f"{tarball} is not installed (Debian: apt-get install linux-source-{version})")
    cache = cache_root()
    cache.mkdir(parents=True, exist_ok=True)
    top = _top_dir_name(tarball)
    dest = cache / f"kpatch-{top}"
    stamp = _stamp_text(tarball)
    if _current(dest, stamp):
        return dest
    with open(cache / f"kpatch-{top}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _current(dest, stamp):
            return dest
        tmp = Path(tempfile.mkdtemp(prefix=f".kpatch-{top}-", dir=cache))
        try:
            patterns = [f"{top}/{m}*" if m.endswith("/") else f"{top}/{m}" for m in MEMBERS]
            proc = subprocess.run(["tar", "-xf", str(tarball), "-C", str(tmp), "--wildcards", "--no-same-owner"]
                                  + patterns, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"extracting {tarball} failed:\n{proc.stderr}")
            (tmp / top / _STAMP).write_text(stamp)
            if dest.exists():
                shutil.rmtree(dest)
            os.rename(tmp / top, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def headers_dir(version: str = "6.1") -> Path:
    """Debian's linux-headers-<version>.*-amd64 (the .config and generated headers of that tree)."""
    found = sorted(p for p in glob.glob(f"/usr/src/linux-headers-{version}.*-amd64") if os.path.isfile(f"{p}/.config"))
    if not found:
        raise KernelSourceUnavailable(f"no /usr/src/linux-headers-{version}.*-amd64 (Debian: apt-get install "
                                      f"linux-headers-<{version} version>-amd64)")
    return Path(found[-1])


CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "kpatch"


def kpatch_diffs():
    """The corpus's source diffs (corpus/kpatch/linux-<version>/{bad,good}/*.patch), sorted."""
    return sorted(CORPUS.glob("linux-*/*/*.patch"))


def diff_version(diff: Path) -> str:
    """The kernel version a corpus diff is written against (its linux-<version> folder)."""
    return diff.parent.parent.name[len("linux-"):]


def kpatch_expectations(text: str):
    """({(rule, file, line)}, error substring or None) from a diff's `expect:` / `expect-error:` lines
    (in the description above the first `--- ` line, which patch tools ignore)."""
    import re
    found = {(m.group(1), m.group(2), int(m.group(3)))
             for m in re.finditer(r"^expect: (KLP\d{3}) (\S+):(\d+)$", text, re.M)}
    error = re.search(r"^expect-error: (.+)$", text, re.M)
    return found, error.group(1) if error else None
