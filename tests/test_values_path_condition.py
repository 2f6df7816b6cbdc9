"""Unknown values against heap addresses respect the path condition, and klp_get_prev_state()
follows the transition (after a .replace patch's transition completes, the replaced patches are gone)."""
from __future__ import annotations

from pathlib import Path

from harness import assert_findings, edit, model_of

from klplint.analysis import kapi
from klplint.analysis.context import StepCtx
from klplint.analysis.execute import Executor
from klplint.analysis.state import State
from klplint.analysis.values import Int, Sym
from klplint.config.settings import Budgets

CODE = r"""
extern void hand_over(void *p);

static int null_is_not_fresh(void *p)
{
	void *q = kmalloc(8, GFP_KERNEL);
	int r;

	if (!q)
		return -1;
	if (p) {
		kfree(q);
		return 2;
	}
	r = p == q;
	kfree(q);
	return r;
}

static int older_value_is_not_fresh(void *p)
{
	void *q = kmalloc(8, GFP_KERNEL);
	int r;

	if (!q)
		return -1;
	r = p == q;
	kfree(q);
	return r;
}

static int an_escaped_object_may_come_back(void *p)
{
	void *q = kmalloc(8, GFP_KERNEL);

	if (!q)
		return -1;
	hand_over(q);
	return p == q;
}

static int constant_is_not_an_object(unsigned long v)
{
	void *q = kmalloc(8, GFP_KERNEL);
	int r;

	if (!q)
		return -1;
	if (v != 4096) {
		kfree(q);
		return 2;
	}
	r = (void *)v == q;
	kfree(q);
	return r;
}
"""


def _results(fn):
    m = model_of(CODE)
    ex = Executor(m, Budgets(), kapi.lookup)
    ex.ctx = StepCtx("post_patch", fn, None, in_hook=True)
    ex.base_depth, ex.stmts = 1, 0
    p, s = ex.fresh_sym(State())
    return sorted(v.value for v, _, _ in ex.call_function(m.functions[fn], (p,), s, 1) if isinstance(v, Int))


def test_a_value_known_null_never_equals_an_allocation():
    assert _results("null_is_not_fresh") == [-1, 0, 2]


def test_a_value_older_than_an_allocation_never_equals_it():
    assert _results("older_value_is_not_fresh") == [-1, 0]


def test_an_object_given_to_unknown_code_may_be_any_unknown_value():
    assert _results("an_escaped_object_may_come_back") == [-1, 0, 1]


def test_a_known_integer_never_equals_an_allocation():
    assert _results("constant_is_not_an_object") == [-1, 0, 2]


def test_fresh_symbols_are_numbered_before_the_heap_ids_they_precede():
    # the comparison above relies on symbols and heap ids sharing one counter
    s = State()
    a, s = Executor(model_of(CODE), Budgets(), kapi.lookup).fresh_sym(s)
    hid, s = s.fresh()
    assert isinstance(a, Sym) and a.id < hid


CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "lifecycle"
BAD = (CORPUS / "bad" / "klp204_freed_only_while_replaced_patch_lives.c").read_text()


def test_after_a_replace_transition_completes_the_previous_state_is_gone():
    found = assert_findings(BAD, "KLP204")
    # the leak needs the completed transition; a reversed one still finds the replaced patch
    assert "stalled" not in found[0].scenario


def test_without_replace_the_previous_patch_stays():
    assert_findings(edit(BAD, "\t.replace = true,\n", ""))


def test_freeing_in_post_patch_sees_the_previous_patch_still_there():
    # post_patch runs inside klp_complete_transition(), before the replaced patches are freed
    src = edit(BAD, ".post_unpatch = quota_post_unpatch,", ".post_patch = quota_post_unpatch,")
    found = assert_findings(src, "KLP204")
    # freed in every completed transition; only a stalled one (no post_patch at all) leaks it
    assert "stalled" in found[0].scenario
