"""klp objects reached other than through `obj` (the objects array indexed or walked with a pointer)
carry the core-owned fields of each object in each scenario, and pointer arithmetic over arrays of
known layout keeps the element it points to."""
from __future__ import annotations

from harness import assert_findings, edit, fixture, model_of

from klplint.analysis import kapi, lifecycle
from klplint.analysis.context import Binding, StepCtx
from klplint.analysis.execute import Executor
from klplint.analysis.objects import ObjView, object_views
from klplint.analysis.state import State
from klplint.analysis.values import Int, Ptr
from klplint.config.settings import Budgets

MULTI = fixture("multi_object_patch.c")     # objects: vmlinux, ext4, xfs (each module with callbacks)


def _calls(scen):
    """(role, object label, state) of each core call, with the views the engine binds for it."""
    views = object_views(_patch(), scen.steps)
    out = []

    def walk(steps):
        for st in steps:
            if isinstance(st, lifecycle.Call):
                out.append(((st.role, st.obj, st.state), views[id(st)].objects))
            elif isinstance(st, lifecycle.ModuleCode):
                walk(st.enable_calls)
    walk(scen.steps)
    return out


_MODEL = {}


def _patch():
    if "m" not in _MODEL:
        _MODEL["m"] = model_of(MULTI, name="multi_object_patch.c")
    return _MODEL["m"].patches[0]


def test_views_follow_loads_unloads_and_patching():
    scen = lifecycle.replay([_patch()], ["load:ext4", "enable", "load:xfs", "unload:ext4", "disable"])
    calls = dict(_calls(scen))
    v, ext4, xfs = 0, 1, 2
    # enabling with ext4 loaded: its pre_patch sees nothing patched yet, xfs absent
    pre = calls[("pre_patch", "ext4", "LIVE")]
    assert pre[ext4] == ObjView(True, False) and not pre[xfs].loaded
    assert pre[v] == ObjView(False, True)       # vmlinux (no callbacks) was patched before ext4
    post = calls[("post_patch", "ext4", "LIVE")]
    assert post[ext4].patched and post[v].patched and post[xfs] == ObjView(False, False)
    # xfs coming: ext4 is loaded and patched, xfs is being set up
    coming = calls[("pre_patch", "xfs", "COMING")]
    assert coming[ext4] == ObjView(True, True) and coming[xfs] == ObjView(True, False)
    # ext4 going: xfs is loaded and patched; ext4 is unpatched before its post_unpatch
    assert calls[("pre_unpatch", "ext4", "GOING")][ext4] == ObjView(True, True)
    going = calls[("post_unpatch", "ext4", "GOING")]
    assert going[ext4] == ObjView(True, False) and going[xfs] == ObjView(True, True)
    # disabling afterwards: ext4 is gone, xfs is patched until the transition completes
    assert calls[("pre_unpatch", "xfs", "LIVE")][ext4] == ObjView(False, False)
    last = calls[("post_unpatch", "xfs", "LIVE")]
    assert last[xfs] == ObjView(True, False) and not last[v].patched


def _peek(expr):
    """MULTI with its module log line also printing `expr`, from a helper defined after objs."""
    src = edit(MULTI, "static void lp_log(", "static const char *lp_peek(void);\n\nstatic void lp_log(")
    src = edit(src, 'pr_info("%s: %s\\n", what, obj->mod->name);',
               'pr_info("%s: %s, next %s\\n", what, obj->mod->name, lp_peek());')
    return edit(src, "static struct klp_patch patch = {",
                f"static const char *lp_peek(void)\n{{\n\treturn {expr};\n}}\n\nstatic struct klp_patch patch = {{")


def test_another_objects_mod_is_null_while_its_module_is_absent():
    found = assert_findings(_peek("objs[2].mod->name"), "KLP201")
    assert "for xfs" in found[0].message


def test_another_objects_mod_checked_first_is_clean():
    assert_findings(_peek('objs[2].mod ? objs[2].mod->name : "-"'))


def test_walk_with_a_pointer_to_the_terminator_reaches_each_object():
    helper = r"""
static void lp_log_all(void)
{
	struct klp_object *o;

	for (o = objs; o->funcs || o->name; o++)
		if (o->name && o->mod && o->mod->state == MODULE_STATE_COMING)
			pr_info("coming: %s\n", o->mod->name);
}
"""
    src = edit(MULTI, "static struct klp_patch patch = {", helper + "\nstatic struct klp_patch patch = {")
    src = edit(src, "static int lp_pre_patch(", "static void lp_log_all(void);\n\nstatic int lp_pre_patch(")
    src = edit(src, 'lp_log("post_patch", obj);', 'lp_log("post_patch", obj);\n\tlp_log_all();')
    # the walk reaches obj itself too: its module may be COMING in post_patch (no KLP202)
    assert_findings(src)


def test_obj_is_the_element_of_the_objects_array():
    code = r"""
static int lp_fixed(void) { return 0; }
static int which(struct klp_object *obj);
static struct klp_func funcs[] = { { .old_name = "fixed", .new_func = lp_fixed, }, { } };
static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ .name = "ext4", .funcs = funcs, .callbacks = { .post_patch = (void *)which, }, },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int which(struct klp_object *obj)
{
	struct klp_object *o;
	int n = 0;

	for (o = objs; o->funcs; o++, n++)
		if (o == obj)
			return n;
	return -1;
}
"""
    m = model_of(code)
    ex = Executor(m, Budgets(), kapi.lookup)
    b = Binding(0, 1, "ext4", "ext4", False, "LIVE", (ObjView(False, True), ObjView(True, True)))
    ex.ctx = StepCtx("post_patch", "which", b, in_hook=True, patch=m.patches[0])
    ex.base_depth, ex.stmts = 1, 0
    res = ex.call_function(m.functions["which"], (Ptr(b.region),), State(), 1)
    assert sorted(v.value for v, _, _ in res if isinstance(v, Int)) == [1]


ARITH = r"""
static int table[4] = { 10, 20, 30, 40 };
static int third(void)
{
	int *p = table;

	p++;
	p += 1;
	return *p;
}
static int last_by_end(void)
{
	int *p, *end = table + 4;
	int n = 0;

	for (p = table; p < end; p++)
		n++;
	return n + (int)(end - table);
}
static int indexed_from_a_pointer(void)
{
	int *p = &table[1];

	return p[2];
}
"""


def _run(code, fn):
    m = model_of(code)
    ex = Executor(m, Budgets(), kapi.lookup)
    ex.ctx = StepCtx("post_patch", fn, None, in_hook=True)
    ex.base_depth, ex.stmts = 1, 0
    return sorted(v.value for v, _, _ in ex.call_function(m.functions[fn], (), State(), 1) if isinstance(v, Int))


def test_pointer_arithmetic_keeps_the_element():
    assert _run(ARITH, "third") == [30]


def test_a_loop_bounded_by_an_end_pointer_is_decided():
    assert _run(ARITH, "last_by_end") == [8]


def test_indexing_a_pointer_into_an_array():
    assert _run(ARITH, "indexed_from_a_pointer") == [40]
