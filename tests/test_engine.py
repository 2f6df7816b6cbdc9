"""The lifecycle engine on bugs written apart from the corpus, as a new user would write them: each
found with its lifecycle path, each correct twin quiet; deduplication, determinism, budgets."""
from __future__ import annotations

import dataclasses
import textwrap

import pytest

from klplint.analysis import driver as engine
from klplint import ir
from klplint.pipeline.analyze_file import analyze_file, engine_findings
from klplint.config.settings import Budgets, Config
from klplint.patch.extract import extract
from klplint.frontend import parse

HEAD = """\
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
"""

TAIL = """
static int lp_init(void)
{
	return klp_enable_patch(&patch);
}
static void lp_exit(void)
{
	EXIT_BODY
}
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

HOOKS_TAIL = """
static int lp_init(void)
{
	int ret = klp_register_patch(&patch);

	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret)
		WARN_ON(klp_unregister_patch(&patch));
	return ret;
}
static void lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def check(tmp_path, body: str, exit_body: str = "", hooks: bool = False, name="lp_test.c", config=None):
    code = HEAD + textwrap.dedent(body) + (HOOKS_TAIL if hooks else TAIL.replace("EXIT_BODY", exit_body))
    path = tmp_path / name
    path.write_text(code)
    result = analyze_file(str(path), config or Config(strict=True))
    assert not result.errors, result.errors
    return [f for f in result.findings if f.rule[3] in "234"], code


def line_of(code: str, needle: str) -> int:
    for i, line in enumerate(code.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def rules(findings):
    return sorted((f.rule, f.loc.line) for f in findings)


# ------------------------------------------------------------------ leaks over re-enable (hooks API)

REENABLE = """
static void *trace_buf;
static int lp_new_show(void *m, void *v) { return 0; }
static int setup(struct klp_object *obj)
{
	trace_buf = kzalloc(4096, GFP_KERNEL);
	return trace_buf ? 0 : -ENOMEM;
}
static int teardown(struct klp_object *obj)
{
	TEARDOWN
	return 0;
}
static struct klp_func funcs[] = { { .old_name = "meminfo_proc_show", .new_func = lp_new_show }, { } };
static struct klp_hook ph[] = { { .hook = setup }, { } };
static struct klp_hook uh[] = { { .hook = teardown }, { } };
static struct klp_object objs[] = { { .funcs = funcs, .patch_hooks = ph, .unpatch_hooks = uh }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


def test_leak_over_reenable_is_found_with_its_path(tmp_path):
    found, code = check(tmp_path, REENABLE.replace("TEARDOWN", "pr_info(\"bye\\n\");"), hooks=True)
    assert rules(found) == [("KLP204", line_of(code, "trace_buf = kzalloc"))]
    f = found[0]
    assert f.scenario and f.path
    kinds = [p.kind for p in f.path]
    assert "scenario" in kinds and "statement" in kinds
    assert any("kzalloc() succeeds" in p.message for p in f.path)


def test_reenable_twin_is_quiet(tmp_path):
    found, _ = check(tmp_path, REENABLE.replace("TEARDOWN", "kfree(trace_buf);\n\ttrace_buf = NULL;"), hooks=True)
    assert found == []


def test_reenable_without_clearing_is_a_double_free(tmp_path):
    # freed by the unpatch hook, not cleared, freed again by module_exit's own cleanup
    body = REENABLE.replace("TEARDOWN", "kfree(trace_buf);").replace(
        "static struct klp_patch patch", "static void drop(void) { kfree(trace_buf); }\nstatic struct klp_patch patch")
    code = HEAD + body + HOOKS_TAIL.replace("WARN_ON(klp_unregister_patch(&patch));\n}\nmodule_init",
                                            "WARN_ON(klp_unregister_patch(&patch));\n\tdrop();\n}\nmodule_init")
    path = tmp_path / "double.c"
    path.write_text(code)
    found = [f for f in analyze_file(str(path), Config(strict=True)).findings if f.rule == "KLP205"]
    assert [f.loc.line for f in found] == [line_of(code, "static void drop(void)")]
    assert any("released" in p.message or "frees" in p.message for p in found[0].path)


# ------------------------------------------------------------------ double free across disable (callbacks)

DISABLE = """
struct fix_state { int hits; };
static struct fix_state *st;
static int lp_fn(void) { return 0; }
static int pre(struct klp_object *obj)
{
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	return 0;
}
static void post_unpatch(struct klp_object *obj)
{
	kfree(st);
	CLEAR
}
static struct klp_func funcs[] = { { .old_name = "fn", .new_func = lp_fn }, { } };
static struct klp_object objs[] = {
	{ .name = "xt_recent", .funcs = funcs, .callbacks = { .pre_patch = pre, .post_unpatch = post_unpatch } },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


def test_double_free_across_disable_and_exit(tmp_path):
    found, code = check(tmp_path, DISABLE.replace("CLEAR", ""), exit_body="kfree(st);")
    last_free = [i for i, l in enumerate(code.splitlines(), 1) if l.strip() == "kfree(st);"][-1]
    assert rules(found) == [("KLP205", last_free)]
    f = found[0]
    msgs = [p.message for p in f.path]
    assert any("post_unpatch(obj=xt_recent" in m for m in msgs)
    assert any("lp_exit() runs" in m for m in msgs)


def test_double_free_twin_is_quiet(tmp_path):
    found, _ = check(tmp_path, DISABLE.replace("CLEAR", "st = NULL;"), exit_body="kfree(st);")
    assert found == []


# ------------------------------------------------------------------ NULL obj->mod for vmlinux

NULLMOD = """
static int lp_fn(void) { return 0; }
static void post_patch(struct klp_object *obj)
{
	GUARD
	pr_info("now patched: %s\\n", obj->mod->name);
}
static struct klp_func funcs[] = { { .old_name = "fn", .new_func = lp_fn }, { } };
static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .post_patch = post_patch } },
	{ .name = "nfs", .funcs = funcs, .callbacks = { .post_patch = post_patch } },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


def test_null_module_for_vmlinux(tmp_path):
    found, code = check(tmp_path, NULLMOD.replace("GUARD", ""))
    assert rules(found) == [("KLP201", line_of(code, "now patched"))]
    f = found[0]
    assert any(p.kind == "scenario" and "post_patch(obj=vmlinux)" in p.message for p in f.path)
    assert f.level == "error"


@pytest.mark.parametrize("guard", ["if (!obj->mod) return;", "if (!obj->name) return;",
                                   "if (obj->name == NULL) return;", "if (!klp_is_module(obj)) return;"])
def test_null_module_guards_are_quiet(tmp_path, guard):
    found, _ = check(tmp_path, NULLMOD.replace("GUARD", guard))
    assert found == []


# ------------------------------------------------------------------ impossible states

STATES = """
static int lp_fn(void) { return 0; }
static void post_unpatch(struct klp_object *obj)
{
	if (obj->mod->state == TESTED)
		pr_info("module %s\\n", obj->mod->name);
}
static struct klp_func funcs[] = { { .old_name = "fn", .new_func = lp_fn }, { } };
static struct klp_object objs[] = {
	{ .name = "btrfs", .funcs = funcs, .callbacks = { .post_unpatch = post_unpatch } },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


@pytest.mark.parametrize("state,fires", [("MODULE_STATE_COMING", True), ("MODULE_STATE_UNFORMED", True),
                                         ("MODULE_STATE_GOING", False), ("MODULE_STATE_LIVE", False)])
def test_impossible_state_on_the_unpatch_side(tmp_path, state, fires):
    found, code = check(tmp_path, STATES.replace("TESTED", state))
    assert rules(found) == ([("KLP202", line_of(code, "obj->mod->state =="))] if fires else [])


# ------------------------------------------------------------------ core calls from hooks

CORE = """
static int lp_fn(void) { return 0; }
static struct klp_patch patch;
static void give_up(void)
{
	CALL
}
static void post_patch(struct klp_object *obj)
{
	give_up();
}
static struct klp_func funcs[] = { { .old_name = "fn", .new_func = lp_fn }, { } };
static struct klp_object objs[] = { { .funcs = funcs, .callbacks = { .post_patch = post_patch } }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


@pytest.mark.parametrize("call", ["klp_disable_patch(&patch);", "klp_unregister_patch(&patch);",
                                  "request_module(\"nfsd\");"])
def test_core_call_from_a_callback_deadlocks(tmp_path, call):
    found, code = check(tmp_path, CORE.replace("CALL", call))
    assert rules(found) == [("KLP208", line_of(code, call))]
    assert any("post_patch(obj=vmlinux)" in p.message for p in found[0].path)


def test_core_call_from_a_work_item_is_quiet(tmp_path):
    body = CORE.replace("CALL", "schedule_work(&w);").replace(
        "static void give_up(void)",
        "static void later(struct work_struct *work) { request_module(\"nfsd\"); }\n"
        "static DECLARE_WORK(w, later);\nstatic void give_up(void)")
    found, _ = check(tmp_path, "#include <linux/workqueue.h>\n" + body, exit_body="flush_work(&w);")
    assert found == []


# ------------------------------------------------------------------ failing pre_patch that leaks

PREFAIL = """
static unsigned int min_version;
module_param(min_version, uint, 0444);
static int *table;
static int lp_fn(void) { return 0; }
static int pre(struct klp_object *obj)
{
	table = kcalloc(16, sizeof(int), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	if (min_version > 3) {
		UNWIND
		return -EINVAL;
	}
	return 0;
}
static void post_unpatch(struct klp_object *obj)
{
	kfree(table);
	table = NULL;
}
static struct klp_func funcs[] = { { .old_name = "fn", .new_func = lp_fn }, { } };
static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = pre, .post_unpatch = post_unpatch } },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


def test_failing_pre_patch_that_leaks(tmp_path):
    found, code = check(tmp_path, PREFAIL.replace("UNWIND", ""))
    assert rules(found) == [("KLP210", line_of(code, "return -EINVAL;"))]
    f = found[0]
    assert "fail:pre_patch:vmlinux" in f.scenario
    assert any("returns an error" in p.message for p in f.path)


def test_failing_pre_patch_that_unwinds_is_quiet(tmp_path):
    found, _ = check(tmp_path, PREFAIL.replace("UNWIND", "kfree(table);\n\t\ttable = NULL;"))
    assert found == []


# ------------------------------------------------------------------ a ctor that sleeps

CTOR = """
#include <linux/mutex.h>
static DEFINE_MUTEX(ctor_lock);
struct extra { int v; };
static int extra_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct extra *e = shadow_data;

	@LOCK@
	e->v = 1;
	@UNLOCK@
	return 0;
}
static int lp_fn(void *sk)
{
	struct extra *e = klp_shadow_get_or_alloc(sk, 42, sizeof(*e), GFP_ATOMIC, extra_ctor, NULL);
	return e ? e->v : 0;
}
static struct klp_func funcs[] = { { .old_name = "tcp_close", .new_func = lp_fn }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


def test_ctor_that_sleeps(tmp_path):
    found, code = check(tmp_path, CTOR.replace("@LOCK@", "mutex_lock(&ctor_lock);").replace(
        "@UNLOCK@", "mutex_unlock(&ctor_lock);"), exit_body="klp_shadow_free_all(42, NULL);")
    assert rules(found) == [("KLP302", line_of(code, "mutex_lock(&ctor_lock)"))]
    assert any("spinlock" in p.message for p in found[0].path)


def test_ctor_with_a_spinlock_is_quiet(tmp_path):
    body = CTOR.replace("#include <linux/mutex.h>", "#include <linux/spinlock.h>").replace(
        "static DEFINE_MUTEX(ctor_lock);", "static DEFINE_SPINLOCK(ctor_lock);").replace(
        "@LOCK@", "spin_lock(&ctor_lock);").replace("@UNLOCK@", "spin_unlock(&ctor_lock);")
    found, _ = check(tmp_path, body, exit_body="klp_shadow_free_all(42, NULL);")
    assert found == []


# ------------------------------------------------------------------ a helper's missing return (KLP209)

FALLS_OFF = """
static int lp_level;
static int lp_fn(void) { return 0; }
static int lp_probe(int level)
{
	if (level > 2)
		return -EINVAL;
	if (level == 1)
		return 0;
}
static int lp_relay(void)
{
	return lp_probe(lp_level);
}
static RET_TYPE lp_cb(struct klp_object *obj)
{
	USE
}
static struct klp_func funcs[] = { { .old_name = "fn", .new_func = lp_fn }, { } };
static struct klp_object objs[] = { { .funcs = funcs, .callbacks = { .ROLE = lp_cb } }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
"""


@pytest.mark.parametrize("ret_type,role,use,fires", [
    ("int", "pre_patch", "return lp_relay();", True),                     # returned, two helpers deep
    ("int", "pre_patch", "if (lp_relay() < 0)\n\t\treturn -EAGAIN;\n\treturn 0;", True),    # tested
    ("void", "post_patch", "switch (lp_probe(lp_level)) {\n\tcase 0:\n\t\tbreak;\n\t}", True),
    ("int", "pre_patch", "lp_relay();\n\treturn 0;", False),            # ignored: not the hook's result
    ("int", "pre_patch", "int r = lp_relay();\n\n\treturn 0;", False),  # stored, never used
    # the falling path is not taken, but the helper falls off by its shape (-Wreturn-type rejects it)
    ("int", "pre_patch", "lp_level = 1;\n\treturn lp_relay();", True),
])
def test_helper_falling_off_its_end_counts_only_when_the_hook_uses_its_value(tmp_path, ret_type, role,
                                                                            use, fires):
    body = FALLS_OFF.replace("RET_TYPE", ret_type).replace("ROLE", role).replace("USE", use)
    found, code = check(tmp_path, body)
    assert [r for r in rules(found) if r[0] == "KLP209"] == \
        ([("KLP209", line_of(code, "static int lp_probe("))] if fires else [])
    if fires:
        hit = next(f for f in found if f.rule == "KLP209")
        assert "lp_probe()" in hit.message and "lp_cb()" in hit.message


# ------------------------------------------------------------------ engine properties

def _module(tmp_path, code, name="m.c"):
    path = tmp_path / name
    path.write_text(code)
    cfg = Config(strict=True)
    return extract(parse(str(path), cfg), cfg), cfg


def test_findings_are_deterministic_and_deduplicated(tmp_path):
    code = HEAD + DISABLE.replace("CLEAR", "") + TAIL.replace("EXIT_BODY", "kfree(st);")
    m, cfg = _module(tmp_path, code)
    a = engine_findings(m, cfg)
    b = engine_findings(m, cfg)
    assert [(f.rule, f.loc, f.message, f.path, f.scenario) for f in a] == \
        [(f.rule, f.loc, f.message, f.path, f.scenario) for f in b]
    keys = [(f.rule, f.loc) for f in a]
    assert len(keys) == len(set(keys))


def test_shortest_witness_is_kept(tmp_path):
    code = HEAD + NULLMOD.replace("GUARD", "") + TAIL.replace("EXIT_BODY", "")
    m, cfg = _module(tmp_path, code)
    (f,) = engine_findings(m, cfg)
    # `enable` alone reaches the bug: the witness is that scenario, not a longer one
    assert f.scenario.startswith("enable")
    assert sum(1 for p in f.path if p.kind == "scenario") <= 3


def test_unsupported_statement_is_an_incomplete_note_for_its_hook(tmp_path):
    code = HEAD + NULLMOD.replace("GUARD", "if (!obj->mod) return;") + TAIL.replace("EXIT_BODY", "")
    m, cfg = _module(tmp_path, code)
    fn = m.functions["post_patch"]
    body = ir.Compound(fn.body.loc, (ir.UnsupportedStmt(fn.body.loc, "INLINE_ASM"),) + fn.body.body)
    functions = dict(m.functions)
    functions["post_patch"] = dataclasses.replace(fn, body=body)
    m = dataclasses.replace(m, functions=functions)
    found = engine_findings(m, cfg)
    assert [(f.rule, f.loc) for f in found] == [("KLP213", fn.loc)]
    assert "inline asm" in found[0].message     # in C terms, not the front end's cursor kind


def test_file_time_budget_gives_a_note_not_a_hang(tmp_path):
    code = HEAD + DISABLE.replace("CLEAR", "") + TAIL.replace("EXIT_BODY", "kfree(st);")
    m, cfg = _module(tmp_path, code)
    cfg = cfg.with_(budgets=Budgets(file_seconds=0.0))
    found = engine_findings(m, cfg)
    assert [f.rule for f in found] == ["KLP213"]


def test_budgets_from_config_limit_scenarios(tmp_path):
    code = HEAD + DISABLE.replace("CLEAR", "") + TAIL.replace("EXIT_BODY", "kfree(st);")
    m, cfg = _module(tmp_path, code)
    a = engine.analyse(m, cfg.with_(budgets=Budgets(max_scenarios=2)))
    assert a.scenarios_run == 2


def test_hooks_api_scenarios_include_reenable(tmp_path):
    code = HEAD + REENABLE.replace("TEARDOWN", "pr_info(\"bye\\n\");") + HOOKS_TAIL
    m, cfg = _module(tmp_path, code)
    found = engine_findings(m, cfg)
    scen = {f.scenario for f in found}
    assert any("reenable" in s for s in scen if s)
