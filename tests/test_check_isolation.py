"""One rule's exception never discards the file's other findings: a structural, event or after
check that raises becomes a tool error naming its rule, and every other rule's findings stand (an
exception of the engine itself costs the engine's rules only). Strict mode (the tests) raises."""
from __future__ import annotations

import pytest
from harness import callbacks_module, edit

from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file
from klplint.rules.registry import REGISTRY

CODE = r"""
static void lp_post(struct klp_object *obj)
{
	char *buf;

	if (obj->mod->state == MODULE_STATE_GOING)
		pr_info("never\n");
	buf = kmalloc(8, GFP_KERNEL);
	buf[0] = 1;
	kfree(buf);
}
"""
# KLP113 (structural), KLP202 (after), KLP211 (event)
SRC = edit(callbacks_module(CODE, {"post_patch": "lp_post"}), 'MODULE_LICENSE("GPL");',
           'MODULE_LICENSE("Proprietary");')
ALL = {"KLP113", "KLP202", "KLP211"}


class Boom(RuntimeError):
    pass


def _boom(*args):
    raise Boom("a bug in the check")


@pytest.fixture
def lenient(monkeypatch):
    """Outside strict mode, as `klplint check` runs."""
    monkeypatch.setenv("KLPLINT_STRICT", "0")
    return Config(strict=False)


def _run(tmp_path, config):
    path = tmp_path / "lp_isolated.c"
    path.write_text(SRC)
    return analyze_file(str(path), config)


def test_the_module_has_findings_of_the_three_stages(tmp_path, lenient):
    r = _run(tmp_path, lenient)
    assert {f.rule for f in r.findings} == ALL and not r.errors


@pytest.mark.parametrize("rule,stage", [("KLP113", "structural"), ("KLP211", "event"), ("KLP202", "after")])
def test_a_check_that_raises_costs_only_its_rule(tmp_path, lenient, monkeypatch, rule, stage):
    check = next(c for c in REGISTRY.checks if c.rule.id == rule and c.stage == stage)
    monkeypatch.setattr(check, "fn", _boom)
    r = _run(tmp_path, lenient)
    assert {f.rule for f in r.findings} == ALL - {rule}
    assert len(r.errors) == 1
    reason = r.errors[0].reason
    assert rule in reason and stage in reason and "Boom" in reason and "a bug in the check" in reason


def test_an_engine_that_raises_leaves_the_structural_findings(tmp_path, lenient, monkeypatch):
    from klplint.analysis import driver
    monkeypatch.setattr(driver, "analyse", _boom)
    r = _run(tmp_path, lenient)
    assert {f.rule for f in r.findings} == {"KLP113"}
    assert len(r.errors) == 1 and "lifecycle engine" in r.errors[0].reason


def test_strict_mode_raises_the_checks_exception(tmp_path, monkeypatch):
    check = next(c for c in REGISTRY.checks if c.rule.id == "KLP211")
    monkeypatch.setattr(check, "fn", _boom)
    with pytest.raises(Boom):
        _run(tmp_path, Config(strict=True))
