"""Extract the kernel's livepatch test modules and selftests from linux-source-<series> into a cache directory outside the repository."""
from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from typing import Optional

from klplint.oracle.parts import DEFAULT_SERIES, OracleError, find_source_tarball

# What the oracle reads from the tarball: GPL kernel files, used at test time, never committed.
MEMBERS = (
    "lib/livepatch/*",
    "tools/testing/selftests/livepatch/*",
    "samples/livepatch/*",
)
# Where the test modules live: lib/livepatch up to 6.7, the selftests' test_modules/ from 6.8 on.
TEST_MODULE_DIRS = (
    ("lib", "livepatch"),
    ("tools", "testing", "selftests", "livepatch", "test_modules"),
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
    if proc.returncode == 0:
        return True
    # A member pattern a kernel does not have (6.12 has no lib/livepatch) fails tar but
    # extracts the rest: that is still a complete extract.
    errors = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines()
              if ln.strip() and "Not found in archive" not in ln and "Exiting with failure" not in ln]
    return not errors


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


def livepatch_sources(tarball: Optional[str] = None, series: str = DEFAULT_SERIES) -> str:
    """The root of an extract of the livepatch files of the tarball, or of linux-source-<series>
    (cached; extracted once, ~10 s)."""
    tarball = find_source_tarball(tarball, series)
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
        if not any(os.path.isdir(os.path.join(tmp, prefix, *d)) for d in TEST_MODULE_DIRS):
            raise OracleError(f"{tarball} holds no {prefix}/lib/livepatch nor "
                              f"{prefix}/{'/'.join(TEST_MODULE_DIRS[-1])}: not a linux-source tarball?")
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


def test_module_source(name: str, tarball: Optional[str] = None, series: str = DEFAULT_SERIES) -> str:
    """Path of the test module <name>.c (lib/livepatch/ or selftests/livepatch/test_modules/) in the cached extract."""
    root = livepatch_sources(tarball, series)
    for d in TEST_MODULE_DIRS:
        path = os.path.join(root, *d, name + ".c")
        if os.path.isfile(path):
            return path
    raise OracleError(f"{name}.c is not in the kernel source's lib/livepatch nor its "
                      "selftests/livepatch/test_modules")


def find_test_module(name: str, series: str) -> Optional[str]:
    """The kernel's own test module <name>.c in linux-source-<series>, or None when the tarball is
    not installed or has no such module (a target `klplint confirm` can build by name)."""
    if not name.startswith("test_klp_"):
        return None
    try:
        return test_module_source(name, series=series)
    except OracleError:
        return None


def selftest_script(name: str, tarball: Optional[str] = None, series: str = DEFAULT_SERIES) -> str:
    path = os.path.join(livepatch_sources(tarball, series), "tools", "testing", "selftests", "livepatch", name)
    if not os.path.isfile(path):
        raise OracleError(f"{name} is not in the kernel source's selftests/livepatch")
    return path
