"""The rule registry: checks bound to their rules, validated when the rule modules are imported, and
--select/--ignore deciding which checks run at all (a check that would blow up is never called
when its rule is off)."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from klplint.analysis import driver
from klplint.analysis.events import EventKind, Leak, make
from klplint.config.settings import Config
from klplint.findings import Finding
from klplint.location import Location
from klplint.pipeline import analyze_file as pipeline
from klplint.rules import registry
from klplint.rules.registry import REGISTRY, Registry, RegistryError, Rule, selection

ROOT = Path(__file__).resolve().parent.parent
LEAKY = ROOT / "corpus" / "lifecycle" / "bad" / "klp204_leak_over_reenable.c"

DOC = dict(api="B", level="warning", summary="s", why="w", bad="b", good="g", fix="f")


def _rule(reg: Registry, rid: str) -> Rule:
    return reg.rule(id=rid, name=f"rule-{rid.lower()}", **DOC)


class Boom(Exception):
    """Raised by a check that must not run."""


def _boom(*_args):
    raise Boom()


# ------------------------------------------------------------------ validation

def test_a_rule_without_a_check_is_refused_when_sealed():
    reg = Registry()
    a, _b = _rule(reg, "KLP150"), _rule(reg, "KLP151")
    a.check(lambda m: ())
    with pytest.raises(RegistryError, match="KLP151 has no check"):
        reg.seal()
    assert not reg.sealed


def test_a_declared_producer_counts_as_a_check():
    reg = Registry()
    _rule(reg, "KLP150").produced_by("somewhere else")
    reg.seal()
    assert reg.sealed and reg.elsewhere == {"KLP150": "somewhere else"}


def test_a_check_bound_to_an_unregistered_rule_is_refused():
    stray = Rule(id="KLP199", name="stray", **DOC)          # never passed to a registry
    with pytest.raises(RegistryError, match="KLP199"):
        @stray.on(EventKind.LEAK)
        def _check(ev, a):
            return ()


def test_a_check_of_a_rule_of_another_registry_is_refused():
    mine, theirs = Registry(), Registry()
    r = _rule(theirs, "KLP150")
    with pytest.raises(RegistryError, match="not a registered rule"):
        mine.bind(r, lambda m: (), "structural")


def test_event_checks_need_event_kinds():
    reg = Registry()
    r = _rule(reg, "KLP250")
    with pytest.raises(RegistryError, match="EventKind"):
        r.on("leak")


def test_nothing_is_added_after_sealing():
    reg = Registry()
    r = _rule(reg, "KLP150")
    r.check(lambda m: ())
    reg.seal()
    with pytest.raises(RegistryError, match="sealed"):
        _rule(reg, "KLP151")
    with pytest.raises(RegistryError, match="sealed"):
        r.after(lambda a: ())


def test_a_broken_rule_module_fails_at_import(tmp_path, monkeypatch):
    (tmp_path / "broken_rules.py").write_text(
        "from klplint.rules.registry import Registry\n"
        "R = Registry()\n"
        "KLP150 = R.rule(id='KLP150', name='forgotten', api='B', level='note', summary='s', why='w',\n"
        "                bad='b', good='g', fix='f')\n"
        "R.seal()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "broken_rules", raising=False)
    with pytest.raises(RegistryError, match="KLP150 has no check"):
        importlib.import_module("broken_rules")


def test_the_shipped_registry_is_sealed_and_complete():
    assert REGISTRY.sealed
    checked = {c.rule.id for c in REGISTRY.checks}
    assert checked | set(REGISTRY.elsewhere) == set(registry.RULES)
    # suppressions; front-end notes; the kpatch rules, which need the diff
    assert set(REGISTRY.elsewhere) == {"KLP119", "KLP213", "KLP501", "KLP502", "KLP503"}
    assert "KLP213" in checked                                 # ... and the engine's budget notes
    for c in REGISTRY.checks:
        assert registry.RULES[c.rule.id] is c.rule
        assert c.stage != "event" or c.kinds
        assert c.stage != "structural" or not c.kinds
    # every event kind the engine emits has a check that runs on it or reads it
    listened = {k for c in REGISTRY.checks for k in c.kinds}
    assert listened == set(EventKind)


def test_a_check_may_only_report_its_own_rule():
    reg = Registry()
    r = _rule(reg, "KLP150")
    r.check(lambda m: [Finding("KLP101", "error", "not mine", Location("x.c", 1, 1))])
    reg.seal()
    with pytest.raises(RegistryError, match="produced a finding of KLP101"):
        reg.structural_findings(None, lambda rid: True)


# ------------------------------------------------------------------ select / ignore skip checks

def test_structural_check_of_an_ignored_rule_is_not_called():
    reg = Registry()
    _rule(reg, "KLP150").check(_boom)
    reg.seal()
    assert reg.structural_findings(None, selection((), ("KLP150",))) == []
    assert reg.structural_findings(None, selection(("KLP2",), ())) == []
    with pytest.raises(Boom):
        reg.structural_findings(None, selection((), ()))


class _FakeAnalysis:
    def __init__(self, events):
        self.evs = events

    def of_kind(self, kind):
        return [e for e in self.evs if e.kind is kind]

    def facts_of(self, kind):
        return []

    def rank_of(self, ev):
        return (0, 0, 0, 0)


def test_event_and_after_checks_of_an_ignored_rule_are_not_called():
    reg = Registry()
    leak_rule, after_rule = _rule(reg, "KLP250"), _rule(reg, "KLP251")
    leak_rule.on(EventKind.LEAK)(_boom)
    after_rule.after(_boom)
    reg.seal()
    a = _FakeAnalysis([make(Location("x.c", 3, 1), Leak("end"))])
    assert reg.engine_findings(a, selection((), ("KLP25",))) == []
    assert not reg.wants_engine(selection((), ("KLP25",)))
    with pytest.raises(Boom):
        reg.engine_findings(a, selection(("KLP250",), ()))
    with pytest.raises(Boom):
        reg.engine_findings(a, selection(("KLP251",), ()))


def _leak_check():
    (c,) = [c for c in REGISTRY.checks if c.rule.id == "KLP204" and EventKind.LEAK in c.kinds]
    return c


def test_ignoring_a_rule_skips_its_real_check_in_a_file_run(monkeypatch):
    monkeypatch.setattr(_leak_check(), "fn", _boom)
    cfg = Config(strict=True)
    with pytest.raises(Boom):                       # the check does run on this file ...
        pipeline.analyze_file(str(LEAKY), cfg)
    result = pipeline.analyze_file(str(LEAKY), cfg.with_(ignore=("KLP204",)))
    assert not result.errors
    assert "KLP204" not in {f.rule for f in result.findings}
    result = pipeline.analyze_file(str(LEAKY), cfg.with_(select=("KLP1", "KLP3")))
    assert "KLP204" not in {f.rule for f in result.findings}


def test_the_engine_does_not_run_when_no_engine_rule_is_selected(monkeypatch):
    monkeypatch.setattr(driver, "analyse", _boom)
    cfg = Config(strict=True)
    result = pipeline.analyze_file(str(LEAKY), cfg.with_(select=("KLP1",)))
    assert not result.errors and all(f.rule.startswith("KLP1") for f in result.findings)
    with pytest.raises(Boom):
        pipeline.analyze_file(str(LEAKY), cfg.with_(select=("KLP204",)))
