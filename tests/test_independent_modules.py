"""Livepatch modules written apart from the corpus, in other styles (tests/independent/), each with
the findings its author meant: they show what klplint gets right on code it was not taught on.

Every file is matched both ways, like the corpus: a missing finding and an extra one both fail, in
both header modes: klplint's bundled headers, and Debian's 6.1 kernel tree (`--kernel-dir`; marked
`kernel`, skipped when the headers are not installed). The verdict must not depend on the mode.
Files written for the hooks API (gone from the kernel since 5.1) cannot build against 6.1's
headers: there they must be refused with a one-line error naming the missing `struct klp_hook`.
Callbacks-API files calling klp_register_patch() (4.15 to 5.0) are analysed in both modes: 6.1
does not declare it, but an undeclared call is no error to klplint (kbuild refuses them, so
tests/test_corpus_kbuild.py leaves such corpus files out).
Files whose intended bug klplint does not find yet are strict xfails naming the gap (issue 12's
classes): when the engine learns it, the test passes, the xfail turns into an error, and the mark
must go.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from corpus_expect import expectations
from kbuild_util import kernel_build_dir, uses_hooks_api
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file

HERE = Path(__file__).resolve().parent / "independent"

# file -> why klplint misses its intended finding today (a strict xfail each; none today)
KNOWN_GAPS: dict = {}


def _files():
    return sorted(p.name for p in HERE.glob("*.c"))


def _hooks_era(name):
    return uses_hooks_api((HERE / name).read_text(encoding="utf-8"))


def _params(names):
    return [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=True))
            if n in KNOWN_GAPS else n for n in names]


def _check(name, config):
    path = str(HERE / name)
    want, none = expectations(open(path, encoding="utf-8").read())
    assert want or none, f"{name} declares no expectation"
    result = analyze_file(path, config)
    assert not result.errors, [str(e) for e in result.errors]
    # a header the mode does not have leaves the analysis incomplete without a finding saying so
    missing = [str(n) for n in result.notes if "not found" in n.reason or "incomplete" in n.reason]
    assert not missing, missing
    got = Counter((f.rule, f.loc.line) for f in result.findings if os.path.samefile(f.loc.file, path))
    detail = "\n".join(f"  {f.loc.line}:{f.loc.col} {f.rule} {f.message}" for f in result.findings)
    assert got == want, f"{name}: missing {sorted((want - got).elements())}, extra " \
                        f"{sorted((got - want).elements())}\nfindings:\n{detail}"


@pytest.mark.parametrize("name", _params(_files()))
def test_independent_module(name):
    _check(name, Config(strict=True))


@pytest.mark.kernel
@pytest.mark.parametrize("name", _params([n for n in _files() if not _hooks_era(n)]))
def test_independent_module_with_kernel_headers(name):
    _check(name, Config(strict=True, kernel_dir=kernel_build_dir("6.1")))


@pytest.mark.kernel
@pytest.mark.parametrize("name", [n for n in _files() if _hooks_era(n)])
def test_hooks_era_module_is_refused_by_kernel_headers(name):
    result = analyze_file(str(HERE / name), Config(strict=True, kernel_dir=kernel_build_dir("6.1")))
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    assert "struct klp_hook" in str(result.errors[0]) and "\n" not in str(result.errors[0])
    assert not result.findings


def test_known_gaps_name_existing_files():
    assert set(KNOWN_GAPS) <= set(_files())
