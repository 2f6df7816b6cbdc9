"""Extract the kernel's livepatch test modules and selftests from linux-source-6.1 into a cache directory outside the repository."""
from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from typing import Optional

from klplint.oracle.parts import OracleError, find_source_tarball

# What the oracle reads from the tarball: GPL kernel files, used at test time, never committed.
MEMBERS = (
    "lib/livepatch/*",
    "tools/testing/selftests/livepatch/*",
    "samples/livepatch/*",
)

CALLBACK_TEST_MODULES = (
    "test_klp_callbacks_demo",
    "test_klp_callbacks_demo2",
    "test_klp_callbacks_mod",
    "test_klp_callbacks_busy",
)


def cache_dir() -> str:
    """$KLPLINT_ORACLE_CACHE, else $XDG_CACHE_HOME/klplint/oracle, else ~/.cache/klplint/oracle."""
    env = os.environ.get("KLPLINT_ORACLE_CACHE")
    if env:
        path = env
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = os.path.join(base, "klplint", "oracle")
    os.makedirs(path, exist_ok=True)
    return path


def _tarball_key(tarball: str) -> str:
    st = os.stat(tarball)
    return hashlib.sha256(f"{os.path.realpath(tarball)}:{st.st_size}:{int(st.st_mtime)}".encode()).hexdigest()[:16]


def _extract_with_tar(tarball: str, prefix: str, dest: str) -> bool:
    tar = shutil.which("tar")
    if not tar:
        return False
    cmd = [tar, "-xf", tarball, "-C", dest, "--wildcards"] + [f"{prefix}/{m}" for m in MEMBERS]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc.returncode == 0


def _extract_with_python(tarball: str, prefix: str, dest: str) -> None:
    pats = [f"{prefix}/{m}" for m in MEMBERS]
    with tarfile.open(tarball, "r|*") as tf:
        for member in tf:
            if member.isfile() and any(fnmatch.fnmatch(member.name, p) for p in pats):
                target = os.path.join(dest, member.name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                src = tf.extractfile(member)
                assert src is not None
                with open(target, "wb") as out:
                    shutil.copyfileobj(src, out)


def livepatch_sources(tarball: Optional[str] = None) -> str:
    """The root of an extract of the tarball's livepatch files (cached; extracted once, ~10 s)."""
    tarball = find_source_tarball(tarball)
    prefix = os.path.basename(tarball).split(".tar")[0]          # linux-source-6.1
    root = os.path.join(cache_dir(), f"src-{_tarball_key(tarball)}")
    done = os.path.join(root, ".complete")
    if os.path.exists(done):
        return os.path.join(root, prefix)
    parent = os.path.dirname(root)
    tmp = tempfile.mkdtemp(prefix=".extract-", dir=parent)
    try:
        if not _extract_with_tar(tarball, prefix, tmp):
            shutil.rmtree(tmp)
            os.makedirs(tmp)
            _extract_with_python(tarball, prefix, tmp)
        if not os.path.isdir(os.path.join(tmp, prefix, "lib", "livepatch")):
            raise OracleError(f"{tarball} holds no {prefix}/lib/livepatch: not a linux-source tarball?")
        open(os.path.join(tmp, ".complete"), "w").close()
        try:
            os.rename(tmp, root)
        except OSError:
            # Another process extracted it meanwhile.
            if not os.path.exists(done):
                raise
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return os.path.join(root, prefix)


def test_module_source(name: str, tarball: Optional[str] = None) -> str:
    """Path of lib/livepatch/<name>.c in the cached extract."""
    path = os.path.join(livepatch_sources(tarball), "lib", "livepatch", name + ".c")
    if not os.path.isfile(path):
        raise OracleError(f"{name}.c is not in the kernel source's lib/livepatch")
    return path


def selftest_script(name: str, tarball: Optional[str] = None) -> str:
    path = os.path.join(livepatch_sources(tarball), "tools", "testing", "selftests", "livepatch", name)
    if not os.path.isfile(path):
        raise OracleError(f"{name} is not in the kernel source's selftests/livepatch")
    return path
