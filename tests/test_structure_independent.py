"""Every KLP1xx rule on livepatch modules written apart from the corpus, as a new user would write them:
each fires where it should, and no structural rule fires anywhere else."""
from __future__ import annotations

import pytest

from harness import assert_findings, edit, fixture

# Two realistic modules (tests/fixtures/); each case below edits one the way a user would get it wrong.
MODULE = fixture("callbacks_patch.c")
HOOKS_MODULE = fixture("hooks_patch.c")


CASES = {
    "KLP101": (MODULE, lambda t: edit(t, '.new_func = lp_tcp_v4_rcv, },\n\t{ }\n};', '.new_func = lp_tcp_v4_rcv, },\n};')),
    "KLP102": (MODULE, lambda t: edit(t, "\t{ .funcs = core_funcs, },\n\t{\n\t\t.name", "\t{ .callbacks = { .post_unpatch = tcp_post_unpatch } },\n\t{ .funcs = core_funcs, },\n\t{\n\t\t.name")),
    "KLP103": (MODULE, lambda t: edit(t, '\t\t.funcs = ipv4_funcs,\n', '')),
    "KLP104": (HOOKS_MODULE, lambda t: edit(t, "{ .hook = mark_active }, { .hook = log_active }", "{ .hook = mark_active }, { .hook = 0 }, { .hook = log_active }")),
    "KLP105": (MODULE, lambda t: edit(t, '.new_func = lp_do_sys_sync, ', '')),
    "KLP106": (MODULE, lambda t: edit(edit(t, "static void tcp_post_unpatch(struct klp_object *obj)", "static int tcp_post_unpatch(struct klp_object *obj)"), '\tpr_info("%s: done\\n", obj->name);\n}', '\tpr_info("%s: done\\n", obj->name);\n\treturn 0;\n}').replace(".post_unpatch = tcp_post_unpatch", ".post_unpatch = (void *)tcp_post_unpatch")),
    "KLP107": (MODULE, lambda t: edit(t, "\t{ .funcs = core_funcs, },", '\t{ .name = "vmlinux", .funcs = core_funcs, },')),
    "KLP108": (MODULE, lambda t: edit(t, '.name = "ipv4_extra"', '.name = NULL')),
    "KLP109": (MODULE, lambda t: edit(t, '{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, },', '{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, },\n\t{ .old_name = "ksys_sync", .new_func = lp_do_sys_sync, .old_sympos = 0, },')),
    "KLP110": (MODULE, lambda t: edit(t, "\t.mod = THIS_MODULE,\n", "")),
    "KLP111": (MODULE, lambda t: edit(t, "\t.objs = targets,\n", "")),
    "KLP112": (MODULE, lambda t: edit(t, 'MODULE_INFO(livepatch, "Y");', '')),
    "KLP113": (MODULE, lambda t: edit(t, 'MODULE_LICENSE("GPL");', 'MODULE_LICENSE("BSD");')),
    "KLP114": (MODULE, lambda t: edit(t, "static void tcp_post_unpatch", "static void __exit tcp_post_unpatch")),
    "KLP115": (MODULE, lambda t: edit(t, "static struct klp_func core_funcs[]", "static struct klp_func core_funcs[] __initdata")),
    "KLP116": (HOOKS_MODULE, lambda t: edit(t, ".unpatch_hooks = on_unpatch", ".unpatch_hooks = on_patch")),
    "KLP117": (MODULE, lambda t: edit(t, "\treturn klp_enable_patch(&sync_fix);", "\tif (klp_enable_patch(&sync_fix))\n\t\tpr_err(\"failed\\n\");\n\tklp_enable_patch(&sync_fix);\n\treturn 0;")),
    "KLP118": (MODULE, lambda t: edit(t, "\t\t\t.pre_patch = tcp_pre_patch,\n", "\t\t\t.pre_patch = tcp_pre_patch,\n\t\t\t.pre_patch = tcp_pre_patch,\n")),
}


@pytest.mark.parametrize("base", [MODULE, HOOKS_MODULE], ids=["callbacks", "hooks"])
def test_clean_modules_have_no_structural_finding(base):
    assert_findings(base, family="KLP1", name="sync_fix.c")


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_alone(rule_id):
    base, change = CASES[rule_id]
    assert_findings(change(base), rule_id, family="KLP1", name="sync_fix.c")


def test_every_structural_rule_is_covered():
    from klplint.rules.registry import all_rules
    structural = {r.id for r in all_rules() if r.id.startswith("KLP1")} - {"KLP119"}
    assert structural <= set(CASES), structural - set(CASES)
