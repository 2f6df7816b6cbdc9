"""The engine driven through the scenarios that expose three classes of bugs: a patch module_init
only registers (enabled, disabled and re-enabled through sysfs), a klp_enable_patch() that fails
after module_init set things up, and a transition reversed or cancelled before post_patch ran,
with statics still as C initialised them. Written as whole modules in table-driven, macro-heavy
and helper-split styles."""
from __future__ import annotations

import textwrap

import pytest

from klplint.analysis import driver, lifecycle
from klplint.analysis.events import EventKind
from klplint.config.settings import Config
from klplint.frontend import parse
from klplint.patch.extract import extract
from klplint.pipeline.analyze_file import analyze_file

HEAD = """\
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
"""
FOOT = """
module_init(mod_start);
module_exit(mod_stop);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def run(tmp_path, body: str, name: str = "lp_scen.c"):
    code = HEAD + textwrap.dedent(body) + FOOT
    path = tmp_path / name
    path.write_text(code)
    result = analyze_file(str(path), Config(strict=True))
    assert not result.errors, [str(e) for e in result.errors]
    return result.findings, code, str(path)


def line_of(code: str, needle: str) -> int:
    return next(i for i, line in enumerate(code.splitlines(), 1) if needle in line)


def found(findings, prefix="KLP2"):
    return sorted((f.rule, f.loc.line) for f in findings if f.rule.startswith(prefix))


def engine_of(path: str):
    cfg = Config(strict=True)
    module = extract(parse(path, cfg), cfg)
    eng = driver.Engine(module, cfg)
    return eng, eng.run(), module


def ran_roles(eng, module, scenario: str):
    """The roles of the calls the engine ran in one scenario, in the order trace prints them."""
    p = module.patches[0]
    (scen,) = [s for s in lifecycle.enumerate_scenarios([p]) if s.name == scenario]
    ran = set(eng.executed[(p.var, scen.name)])
    out = []
    for i, step in enumerate(scen.steps):
        if isinstance(step, lifecycle.Call) and (i,) in ran:
            out.append(step.role)
        if isinstance(step, lifecycle.ModuleCode):
            out += [c.role for j, c in enumerate(step.enable_calls)
                    if isinstance(c, lifecycle.Call) and (i, j) in ran]
    return out


# ------------------------------------------------------------------ register now, enable later

# hooks era, table of hooks built by a macro, module_init that only registers
REGISTER_ONLY = """
#define HOOK(fn) { .hook = fn }
static unsigned long *hit_table;
static int noop_show(void *m, void *v) { return 0; }
static int arm(struct klp_object *obj)
{
	hit_table = kcalloc(64, sizeof(*hit_table), GFP_KERNEL);
	return hit_table ? 0 : -ENOMEM;
}
static int disarm(struct klp_object *obj)
{
	DISARM
	return 0;
}
static struct klp_hook on[] = { HOOK(arm), { } };
static struct klp_hook off[] = { HOOK(disarm), { } };
static struct klp_func fn_tab[] = { { .old_name = "cmdline_proc_show", .new_func = noop_show }, { } };
static struct klp_object obj_tab[] = { { .funcs = fn_tab, .patch_hooks = on, .unpatch_hooks = off }, { } };
static struct klp_patch lp = { .mod = THIS_MODULE, .objs = obj_tab };
static int __init mod_start(void)
{
	return klp_register_patch(&lp);
}
static void __exit mod_stop(void)
{
	WARN_ON(klp_unregister_patch(&lp));
}
"""


def test_register_only_hooks_run_at_the_sysfs_enable(tmp_path):
    findings, code, path = run(tmp_path, REGISTER_ONLY.replace("DISARM", "pr_info(\"off\\n\");"))
    # each disable leaks the table, each re-enable allocates a new one
    assert found(findings) == [("KLP204", line_of(code, "hit_table = kcalloc"))]
    f = next(f for f in findings if f.rule == "KLP204")
    assert any("only registered the patch: echo 1 > /sys/kernel/livepatch/" in p.message for p in f.path)
    eng, _, module = engine_of(path)
    assert ran_roles(eng, module, "enable,disable") == ["patch_hook", "unpatch_hook"]
    assert ran_roles(eng, module, "enable,disable,reenable,disable") == ["patch_hook", "unpatch_hook"] * 2


def test_register_only_twin_that_frees_is_quiet(tmp_path):
    findings, _, _ = run(tmp_path, REGISTER_ONLY.replace("DISARM", "kfree(hit_table);\n\thit_table = NULL;"))
    assert found(findings, "KLP") == []


def test_register_only_failed_sysfs_enable_keeps_the_module_until_its_exit(tmp_path):
    # module_init allocates, only registers; the enable through sysfs fails: the module stays
    # loaded and module_exit frees. Nothing leaks; module_exit ran in that scenario.
    body = REGISTER_ONLY.replace("DISARM", "kfree(hit_table);\n\thit_table = NULL;").replace(
        "static int __init mod_start(void)\n{\n\treturn klp_register_patch(&lp);",
        "static char *tag;\nstatic int __init mod_start(void)\n{\n\ttag = kstrdup(\"lp\", GFP_KERNEL);\n"
        "\tif (!tag)\n\t\treturn -ENOMEM;\n\treturn klp_register_patch(&lp);").replace(
        "WARN_ON(klp_unregister_patch(&lp));", "WARN_ON(klp_unregister_patch(&lp));\n\tkfree(tag);")
    findings, _, path = run(tmp_path, body)
    assert found(findings, "KLP") == []
    eng, _, module = engine_of(path)
    p = module.patches[0]
    (scen,) = [s for s in lifecycle.enumerate_scenarios([p]) if s.name.startswith("fail:patch:")]
    exits = [i for i, st in enumerate(scen.steps) if isinstance(st, lifecycle.ModuleCode) and st.if_registered]
    assert exits and (exits[0],) in eng.executed[(p.var, scen.name)]


def test_register_only_failed_sysfs_enable_then_exit_that_forgets(tmp_path):
    # the same without kfree(tag) in module_exit: held when the module is removed
    body = REGISTER_ONLY.replace("DISARM", "kfree(hit_table);\n\thit_table = NULL;").replace(
        "static int __init mod_start(void)\n{\n\treturn klp_register_patch(&lp);",
        "static char *tag;\nstatic int __init mod_start(void)\n{\n\ttag = kstrdup(\"lp\", GFP_KERNEL);\n"
        "\tif (!tag)\n\t\treturn -ENOMEM;\n\treturn klp_register_patch(&lp);")
    findings, code, _ = run(tmp_path, body)
    assert found(findings) == [("KLP204", line_of(code, "tag = kstrdup"))]


# callbacks of the 4.15-5.0 core: klp_register_patch() still existed, enabling was through sysfs
CALLBACKS_REGISTER_ONLY = """
static struct workqueue_struct *fix_wq;
static int noop_show(void *m, void *v) { return 0; }
static int lp_pre(struct klp_object *obj)
{
	fix_wq = alloc_workqueue("lpfix", 0, 0);
	return fix_wq ? 0 : -ENOMEM;
}
static void lp_post_un(struct klp_object *obj)
{
	POST_UNPATCH
}
static struct klp_func fn_tab[] = { { .old_name = "cmdline_proc_show", .new_func = noop_show }, { } };
static struct klp_object obj_tab[] = {
	{ .funcs = fn_tab, .callbacks = { .pre_patch = lp_pre, .post_unpatch = lp_post_un } },
	{ }
};
static struct klp_patch lp = { .mod = THIS_MODULE, .objs = obj_tab };
static int __init mod_start(void)
{
	int err = klp_register_patch(&lp);

	if (err)
		pr_err("register: %d\\n", err);
	return err;
}
static void __exit mod_stop(void)
{
	WARN_ON(klp_unregister_patch(&lp));
}
"""


def test_callbacks_register_only_runs_its_callbacks(tmp_path):
    findings, code, path = run(tmp_path, CALLBACKS_REGISTER_ONLY.replace("POST_UNPATCH", "pr_info(\"done\\n\");"))
    assert found(findings) == [("KLP204", line_of(code, "fix_wq = alloc_workqueue"))]
    eng, _, module = engine_of(path)
    assert ran_roles(eng, module, "enable,disable") == ["pre_patch", "post_unpatch"]


def test_callbacks_register_only_twin_is_quiet(tmp_path):
    findings, _, _ = run(tmp_path, CALLBACKS_REGISTER_ONLY.replace(
        "POST_UNPATCH", "destroy_workqueue(fix_wq);\n\tfix_wq = NULL;"))
    assert found(findings, "KLP") == []


def test_module_init_that_neither_enables_nor_registers_is_a_note(tmp_path):
    # enabling is left to a helper klplint cannot see: no scenario runs a callback, and check says so
    body = CALLBACKS_REGISTER_ONLY.replace("POST_UNPATCH", "destroy_workqueue(fix_wq);").replace(
        "int err = klp_register_patch(&lp);", "int err = lp_start_elsewhere(&lp);").replace(
        "static int __init mod_start", "int lp_start_elsewhere(struct klp_patch *p);\nstatic int __init mod_start")
    findings, code, path = run(tmp_path, body)
    notes = [f for f in findings if f.rule == "KLP213"]
    assert [f.loc.line for f in notes] == [line_of(code, "static int __init mod_start")]
    assert "on no path that enables or registers the patch 'lp'" in notes[0].message
    assert found(findings) == [("KLP213", line_of(code, "static int __init mod_start"))]


def test_module_init_that_always_fails_is_a_note(tmp_path):
    body = CALLBACKS_REGISTER_ONLY.replace("POST_UNPATCH", "destroy_workqueue(fix_wq);").replace(
        "\treturn err;\n}", "\treturn err ? err : -EAGAIN;\n}")
    findings, code, _ = run(tmp_path, body)
    notes = [f for f in findings if f.rule == "KLP213"]
    assert len(notes) == 1 and "fails on every path" in notes[0].message


# ------------------------------------------------------------------ klp_enable_patch() fails in module_init

# several objects, setup split into helpers, goto cleanup; UNWIND is what the error label does
FAILING_ENABLE = """
static struct kobject *knob_dir;
static struct kobj_attribute knob_attr = __ATTR(knob, 0444, NULL, NULL);
static void *scratch;
static int noop_a(void *m, void *v) { return 0; }
static int noop_b(void) { return 0; }
static struct klp_func vm_funcs[] = { { .old_name = "meminfo_proc_show", .new_func = noop_a }, { } };
static struct klp_func mod_funcs[] = { { .old_name = "xfs_stats_show", .new_func = noop_b }, { } };
static struct klp_object objs[] = {
	{ .funcs = vm_funcs },
	{ .name = "xfs", .funcs = mod_funcs },
	{ }
};
static struct klp_patch lp = { .mod = THIS_MODULE, .objs = objs };
static int make_knobs(void)
{
	knob_dir = kobject_create_and_add("lp_knobs", kernel_kobj);
	if (!knob_dir)
		return -ENOMEM;
	return sysfs_create_file(knob_dir, &knob_attr.attr);
}
static int __init mod_start(void)
{
	int rc;

	scratch = kmalloc(128, GFP_KERNEL);
	if (!scratch)
		return -ENOMEM;
	rc = make_knobs();
	if (rc)
		goto out_knobs;
	rc = klp_enable_patch(&lp);
	if (rc)
		goto ENABLE_LABEL;
	return 0;
out_knobs:
	kobject_put(knob_dir);
out_scratch:
	kfree(scratch);
	return rc;
}
static void __exit mod_stop(void)
{
	kobject_put(knob_dir);
	kfree(scratch);
}
"""


def test_failing_enable_leaks_what_module_init_set_up(tmp_path):
    # the error path skips the kobject (and its file) but frees the buffer
    findings, code, _ = run(tmp_path, FAILING_ENABLE.replace("ENABLE_LABEL", "out_scratch"))
    assert found(findings) == [("KLP204", line_of(code, "knob_dir = kobject_create_and_add"))]
    f = next(f for f in findings if f.rule == "KLP204")
    assert "load failed" in f.message and "fail:patch:" in f.scenario


def test_failing_enable_twin_unwinding_everything_is_quiet(tmp_path):
    findings, _, _ = run(tmp_path, FAILING_ENABLE.replace("ENABLE_LABEL", "out_knobs"))
    assert found(findings, "KLP") == []


# ------------------------------------------------------------------ reversed and cancelled transitions

# a sampler set up in post_patch in the style of a driver: #ifdef'd period, state in a static struct
REVERSAL = """
#ifdef CONFIG_HZ_1000
#define LP_PERIOD (HZ / 10)
#else
#define LP_PERIOD HZ
#endif
static struct {
	struct timer_list tick;
	struct work_struct flush;
	int armed;
} lp_s;
static void lp_tick(struct timer_list *t) { mod_timer(&lp_s.tick, jiffies + LP_PERIOD); }
static void lp_flush(struct work_struct *w) { }
static int noop_show(void *m, void *v) { return 0; }
static void on_post_patch(struct klp_object *obj)
{
	timer_setup(&lp_s.tick, lp_tick, 0);
	INIT_WORK(&lp_s.flush, lp_flush);
	mod_timer(&lp_s.tick, jiffies + LP_PERIOD);
	lp_s.armed = 1;
}
static void on_post_unpatch(struct klp_object *obj)
{
	POST_UNPATCH
}
static struct klp_func fn_tab[] = { { .old_name = "loadavg_proc_show", .new_func = noop_show }, { } };
static struct klp_object obj_tab[] = {
	{ .funcs = fn_tab, .callbacks = { .post_patch = on_post_patch, .post_unpatch = on_post_unpatch } },
	{ }
};
static struct klp_patch lp = { .mod = THIS_MODULE, .objs = obj_tab };
static int __init mod_start(void) { return klp_enable_patch(&lp); }
static void __exit mod_stop(void) { }
"""


@pytest.mark.parametrize("teardown, culprit", [
    ("del_timer_sync(&lp_s.tick);", "del_timer_sync"),
    # the timer guarded by the flag post_patch sets (0 until then), the work item not
    ("if (lp_s.armed)\n\t\tdel_timer_sync(&lp_s.tick);\n\tcancel_work_sync(&lp_s.flush);", "cancel_work_sync"),
])
def test_reversal_cancels_what_post_patch_never_set_up(tmp_path, teardown, culprit):
    findings, code, path = run(tmp_path, REVERSAL.replace("POST_UNPATCH", teardown))
    assert found(findings) == [("KLP206", line_of(code, culprit))]
    _, analysis, _ = engine_of(path)
    scenarios = {e.scenario for e in analysis.of_kind(EventKind.RELEASE_UNACQUIRED)}
    # reversed (stalled, then disabled) and cancelled (the enable fails): never after a normal enable
    assert "enable:stalled,disable" in scenarios
    assert "enable,disable" not in scenarios


def test_reversal_twin_testing_the_zero_initialised_flag_is_quiet(tmp_path):
    # lp_s.armed starts as 0 (C's value for a static): the reversed scenario skips the teardown
    findings, _, _ = run(tmp_path, REVERSAL.replace(
        "POST_UNPATCH", "if (lp_s.armed) {\n\t\tdel_timer_sync(&lp_s.tick);\n"
                        "\t\tcancel_work_sync(&lp_s.flush);\n\t\tlp_s.armed = 0;\n\t}"))
    assert found(findings, "KLP") == []


def test_reversal_twin_set_up_in_module_init_is_quiet(tmp_path):
    body = REVERSAL.replace("POST_UNPATCH", "del_timer_sync(&lp_s.tick);").replace(
        "\ttimer_setup(&lp_s.tick, lp_tick, 0);\n", "").replace(
        "static int __init mod_start(void) { return klp_enable_patch(&lp); }",
        "static int __init mod_start(void)\n{\n\ttimer_setup(&lp_s.tick, lp_tick, 0);\n"
        "\treturn klp_enable_patch(&lp);\n}")
    findings, _, _ = run(tmp_path, body)
    assert found(findings, "KLP") == []


def test_statically_initialised_timer_is_set_up(tmp_path):
    # DEFINE_TIMER gives the static an initializer: cancelling it is fine in every scenario
    body = REVERSAL.replace("POST_UNPATCH", "del_timer_sync(&lp_alone);\n\tif (lp_s.armed)\n"
                                            "\t\tdel_timer_sync(&lp_s.tick);").replace(
        "static int noop_show", "static void lp_alone_fn(struct timer_list *t) { }\n"
        "static DEFINE_TIMER(lp_alone, lp_alone_fn);\nstatic int noop_show")
    findings, _, _ = run(tmp_path, body)
    assert found(findings, "KLP") == []
