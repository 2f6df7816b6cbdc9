"""Livepatch modules written apart from the corpus, in other styles (tests/independent/), each with
the findings its author meant: they show what klplint gets right on code it was not taught on.

Every file is matched both ways, like the corpus: a missing finding and an extra one both fail.
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
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file

HERE = Path(__file__).resolve().parent / "independent"

# file -> why klplint misses its intended finding today
KNOWN_GAPS = {
    "objects_walked_in_callback.c": "klp objects reached by walking patch.objs carry no per-scenario mod "
                                    "field; the walk explodes into KLP213 (KLP201 missed)",
    "workqueue_used_after_destroy.c": "a dereference inside a kernel-call model (flush_workqueue) is not a "
                                      "use after release (KLP207 missed; KLP205 found)",
}


def _files():
    return sorted(p.name for p in HERE.glob("*.c"))


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=True)) if n in KNOWN_GAPS else n
    for n in _files()])
def test_independent_module(name):
    path = str(HERE / name)
    want, none = expectations(open(path, encoding="utf-8").read())
    assert want or none, f"{name} declares no expectation"
    result = analyze_file(path, Config(strict=True))
    assert not result.errors, [str(e) for e in result.errors]
    got = Counter((f.rule, f.loc.line) for f in result.findings if os.path.samefile(f.loc.file, path))
    detail = "\n".join(f"  {f.loc.line}:{f.loc.col} {f.rule} {f.message}" for f in result.findings)
    assert got == want, f"{name}: missing {sorted((want - got).elements())}, extra " \
                        f"{sorted((got - want).elements())}\nfindings:\n{detail}"


def test_known_gaps_name_existing_files():
    assert set(KNOWN_GAPS) <= set(_files())
