"""The verdict does not depend on the header mode: every corpus file and every independently written
module gives the same findings (rule, line) with the bundled model headers and with Debian's 6.1
kernel headers (`--kernel-dir`), whose READ_ONCE, WRITE_ONCE, rcu_dereference, list and
container_of macros expand into address-of and volatile casts. Hooks-era files are checked with
the bundled headers only: no 6.1 header declares the hooks API."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from kbuild_util import kernel_build_dir, uses_hooks_api
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file

pytestmark = pytest.mark.kernel

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _files():
    out = sorted(p for p in (ROOT / "corpus").rglob("*.c") if "kpatch" not in p.relative_to(ROOT / "corpus").parts)
    out += sorted((TESTS / "independent").glob("*.c"))
    return [p for p in out if not uses_hooks_api(p.read_text(encoding="utf-8"))]


def _verdict(path: Path, config: Config):
    result = analyze_file(str(path), config)
    assert not result.errors, [str(e) for e in result.errors]
    return Counter((f.rule, f.loc.line) for f in result.findings if os.path.samefile(f.loc.file, path))


@pytest.fixture(scope="module")
def kernel_dir():
    return kernel_build_dir("6.1")


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_same_findings_in_both_header_modes(path, kernel_dir):
    bundled = _verdict(path, Config(strict=True))
    kernel = _verdict(path, Config(strict=True, kernel_dir=kernel_dir))
    assert bundled == kernel, (f"bundled only: {sorted((bundled - kernel).elements())}, "
                               f"--kernel-dir only: {sorted((kernel - bundled).elements())}")


def test_the_parity_covers_the_engine_rules():
    rules = {os.path.basename(str(p))[:6] for p in _files()}
    assert {"klp201", "klp204", "klp207", "klp212"} <= rules
