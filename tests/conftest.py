"""Test configuration: strict lowering (an unhandled construct fails the test), shared fixtures."""
import os

# Lenient for users, strict in tests: an AST construct the lowering does not handle raises.
os.environ["KLPLINT_STRICT"] = "1"
# `kbuild-check` goes to a warm background server by default; tests that run it as a command would
# leave one behind in the user's runtime folder. The server's own tests turn it on in a private one.
os.environ["KLPLINT_SERVER"] = "0"


# ---------------------------------------------------------------- kernel source (linux-source-6.1)
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_source import KernelSourceUnavailable, kernel_source_root  # noqa: E402


@pytest.fixture(scope="session")
def kernel_source() -> Path:
    """Root of the kernel's livepatch samples/tests/selftests, extracted once into a cache
    outside the repository (see tests/kernel_source.py); skips when the tarball is absent."""
    try:
        return kernel_source_root()
    except KernelSourceUnavailable as e:
        if os.environ.get("CI"):     # CI installs linux-source-6.1: a skip there would hide a gap
            pytest.fail(str(e))
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def kpatch_kernel():
    """kpatch_kernel(version) -> (source tree, headers tree) for the kpatch corpus: Debian's
    linux-source-<version> partly extracted into the test cache, and the matching linux-headers;
    skips without them, fails under CI."""
    from kpatch_tree import headers_dir, kpatch_tree

    def get(version: str = "6.1"):
        try:
            return kpatch_tree(version), headers_dir(version)
        except KernelSourceUnavailable as e:
            if os.environ.get("CI"):
                pytest.fail(str(e))
            pytest.skip(str(e))
    return get
