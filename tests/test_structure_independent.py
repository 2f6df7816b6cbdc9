"""Every KLP1xx rule on livepatch modules written apart from the corpus, as a new user would write them:
each fires where it should, and no structural rule fires anywhere else."""
from __future__ import annotations


import pytest

from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config

# One realistic module; each case below edits it the way a user would get it wrong.
MODULE = r"""
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

static unsigned long fixed_calls;

static long lp_do_sys_sync(void)
{
	fixed_calls++;
	return 0;
}

static int lp_tcp_v4_rcv(void *skb)
{
	return 0;
}

static int tcp_pre_patch(struct klp_object *obj)
{
	pr_info("%s: preparing\n", obj->name);
	return 0;
}

static void tcp_post_unpatch(struct klp_object *obj)
{
	pr_info("%s: done\n", obj->name);
}

static struct klp_func core_funcs[] = {
	{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, },
	{ }
};

static struct klp_func ipv4_funcs[] = {
	{ .old_name = "tcp_v4_rcv", .new_func = lp_tcp_v4_rcv, },
	{ }
};

static struct klp_object targets[] = {
	{ .funcs = core_funcs, },
	{
		.name = "ipv4_extra",
		.funcs = ipv4_funcs,
		.callbacks = {
			.pre_patch = tcp_pre_patch,
			.post_unpatch = tcp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch sync_fix = {
	.mod = THIS_MODULE,
	.objs = targets,
};

static int __init sync_fix_init(void)
{
	return klp_enable_patch(&sync_fix);
}

static void __exit sync_fix_exit(void)
{
}

module_init(sync_fix_init);
module_exit(sync_fix_exit);
MODULE_DESCRIPTION("sync fix");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

HOOKS_MODULE = r"""
#include <linux/module.h>
#include <linux/livepatch.h>

static int active;

static long lp_do_sys_sync(void) { return 0; }

static int mark_active(struct klp_object *obj) { active = 1; return 0; }
static int log_active(struct klp_object *obj) { pr_info("active\n"); return 0; }
static int mark_inactive(struct klp_object *obj) { active = 0; return 0; }

static struct klp_hook on_patch[] = { { .hook = mark_active }, { .hook = log_active }, { } };
static struct klp_hook on_unpatch[] = { { .hook = mark_inactive }, { } };

static struct klp_func core_funcs[] = { { .old_name = "ksys_sync", .new_func = lp_do_sys_sync, }, { } };

static struct klp_object targets[] = {
	{ .funcs = core_funcs, .patch_hooks = on_patch, .unpatch_hooks = on_unpatch, },
	{ }
};

static struct klp_patch sync_fix = { .mod = THIS_MODULE, .objs = targets, };

static int __init sync_fix_init(void)
{
	int ret = klp_register_patch(&sync_fix);
	if (ret)
		return ret;
	ret = klp_enable_patch(&sync_fix);
	if (ret)
		WARN_ON(klp_unregister_patch(&sync_fix));
	return ret;
}

static void __exit sync_fix_exit(void)
{
	WARN_ON(klp_unregister_patch(&sync_fix));
}

module_init(sync_fix_init);
module_exit(sync_fix_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def _sub(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)


CASES = {
    "KLP101": (MODULE, lambda t: _sub(t, '.new_func = lp_tcp_v4_rcv, },\n\t{ }\n};', '.new_func = lp_tcp_v4_rcv, },\n};')),
    "KLP102": (MODULE, lambda t: _sub(t, "\t{ .funcs = core_funcs, },\n\t{\n\t\t.name", "\t{ .callbacks = { .post_unpatch = tcp_post_unpatch } },\n\t{ .funcs = core_funcs, },\n\t{\n\t\t.name")),
    "KLP103": (MODULE, lambda t: _sub(t, '\t\t.funcs = ipv4_funcs,\n', '')),
    "KLP104": (HOOKS_MODULE, lambda t: _sub(t, "{ .hook = mark_active }, { .hook = log_active }", "{ .hook = mark_active }, { .hook = 0 }, { .hook = log_active }")),
    "KLP105": (MODULE, lambda t: _sub(t, '.new_func = lp_do_sys_sync, ', '')),
    "KLP106": (MODULE, lambda t: _sub(_sub(t, "static void tcp_post_unpatch(struct klp_object *obj)", "static int tcp_post_unpatch(struct klp_object *obj)"), '\tpr_info("%s: done\\n", obj->name);\n}', '\tpr_info("%s: done\\n", obj->name);\n\treturn 0;\n}').replace(".post_unpatch = tcp_post_unpatch", ".post_unpatch = (void *)tcp_post_unpatch")),
    "KLP107": (MODULE, lambda t: _sub(t, "\t{ .funcs = core_funcs, },", '\t{ .name = "vmlinux", .funcs = core_funcs, },')),
    "KLP108": (MODULE, lambda t: _sub(t, '.name = "ipv4_extra"', '.name = NULL')),
    "KLP109": (MODULE, lambda t: _sub(t, '{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, },', '{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, },\n\t{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, .old_sympos = 0, },')),
    "KLP110": (MODULE, lambda t: _sub(t, "\t.mod = THIS_MODULE,\n", "")),
    "KLP111": (MODULE, lambda t: _sub(t, "\t.objs = targets,\n", "")),
    "KLP112": (MODULE, lambda t: _sub(t, 'MODULE_INFO(livepatch, "Y");', '')),
    "KLP113": (MODULE, lambda t: _sub(t, 'MODULE_LICENSE("GPL");', 'MODULE_LICENSE("BSD");')),
    "KLP114": (MODULE, lambda t: _sub(t, "static void tcp_post_unpatch", "static void __exit tcp_post_unpatch")),
    "KLP115": (MODULE, lambda t: _sub(t, "static struct klp_func core_funcs[]", "static struct klp_func core_funcs[] __initdata")),
    "KLP116": (HOOKS_MODULE, lambda t: _sub(t, ".unpatch_hooks = on_unpatch", ".unpatch_hooks = on_patch")),
    "KLP117": (MODULE, lambda t: _sub(t, "\treturn klp_enable_patch(&sync_fix);", "\tif (klp_enable_patch(&sync_fix))\n\t\tpr_err(\"failed\\n\");\n\tklp_enable_patch(&sync_fix);\n\treturn 0;")),
    "KLP118": (MODULE, lambda t: _sub(t, "\t\t\t.pre_patch = tcp_pre_patch,\n", "\t\t\t.pre_patch = tcp_pre_patch,\n\t\t\t.pre_patch = tcp_pre_patch,\n")),
}


def _structural(path):
    r = analyze_file(str(path), Config(strict=True))
    assert not r.errors, r.errors
    return sorted({f.rule for f in r.findings if f.rule < "KLP200"})


@pytest.mark.parametrize("base", [MODULE, HOOKS_MODULE], ids=["callbacks", "hooks"])
def test_clean_modules_have_no_structural_finding(tmp_path, base):
    p = tmp_path / "sync_fix.c"
    p.write_text(base)
    assert _structural(p) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_alone(tmp_path, rule_id):
    base, edit = CASES[rule_id]
    p = tmp_path / "sync_fix.c"
    p.write_text(edit(base))
    assert _structural(p) == [rule_id]


def test_every_structural_rule_is_covered():
    from klplint.rules.registry import all_rules
    structural = {r.id for r in all_rules() if r.id.startswith("KLP1")} - {"KLP119"}
    assert structural <= set(CASES), structural - set(CASES)
