"""The corpus runner: every corpus file's inline expectations must match klplint's findings both ways."""
from __future__ import annotations

import os
import re
from collections import Counter

import pytest

from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config
from klplint.rules.registry import all_rules

from corpus_expect import expectations
from kpatch_tree import kpatch_diffs, kpatch_expectations

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpus")


def corpus_files():
    out = []
    for root, _, names in os.walk(ROOT):
        out += [os.path.join(root, n) for n in names if n.endswith(".c")]
    return sorted(out)


def _id(path):
    return os.path.relpath(path, ROOT)


@pytest.mark.parametrize("path", corpus_files(), ids=_id)
def test_corpus_file(path):
    text = open(path, encoding="utf-8").read()
    want, none = expectations(text)
    assert want or none, f"{_id(path)} declares no expectation (// expect KLPnnn or // expect-no-findings)"
    assert not (want and none), f"{_id(path)} both expects findings and expect-no-findings"
    result = analyze_file(path, Config(strict=True))
    assert not result.errors, [str(e) for e in result.errors]
    got = Counter((f.rule, f.loc.line) for f in result.findings if os.path.samefile(f.loc.file, path))
    missing = want - got
    extra = got - want
    detail = "\n".join(f"  {f.loc.line}:{f.loc.col} {f.rule} {f.message}" for f in result.findings)
    assert not missing and not extra, (f"{_id(path)}: missing {sorted(missing.elements())}, "
                                       f"extra {sorted(extra.elements())}\nfindings:\n{detail}")


def test_every_rule_has_a_case_that_fires_and_one_that_must_not():
    files = corpus_files()
    fires = {}
    quiet = {}
    for path in files + [str(p) for p in kpatch_diffs()]:
        name = os.path.basename(path)
        m = re.match(r"(klp\d{3})_", name)
        if not m:
            continue
        rid = m.group(1).upper()
        if path.endswith(".patch"):     # KLP5xx: source diffs, checked by test_kpatch_corpus.py
            rules_wanted = {r for r, _, _ in kpatch_expectations(open(path, encoding="utf-8").read())[0]}
        else:
            want, none = expectations(open(path, encoding="utf-8").read())
            rules_wanted = {r for r, _ in want}
        if f"{os.sep}bad{os.sep}" in path and rid in rules_wanted:
            fires[rid] = path
        if f"{os.sep}good{os.sep}" in path and rid not in rules_wanted:
            quiet[rid] = path
    missing_fire = [r.id for r in all_rules() if r.id not in fires]
    missing_quiet = [r.id for r in all_rules() if r.id not in quiet]
    assert not missing_fire, f"rules without a corpus case that must fire: {missing_fire}"
    assert not missing_quiet, f"rules without a corpus case that must not fire: {missing_quiet}"


def test_runner_fails_on_missing_and_extra(tmp_path):
    """The matcher itself: a finding nobody expected and an expectation nobody met both count."""
    want, _ = expectations("int a; // expect KLP101\nint b; // expect@-1 KLP102\n")
    got = Counter({("KLP101", 1): 1, ("KLP105", 2): 1})
    assert want - got == Counter({("KLP102", 1): 1})
    assert got - want == Counter({("KLP105", 2): 1})
