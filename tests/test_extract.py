"""Extraction: tables as the core walks them — designated, positional, nested, terminators, references."""
from __future__ import annotations

from helpers import model_of, prelude_lines

BASE = """
static int lp_a(void *m, void *v) { return 0; }
static int lp_b(void *m, void *v) { return 0; }
static int pre(struct klp_object *obj) { return 0; }
static void post(struct klp_object *obj) { }
static int hk(struct klp_object *obj) { return 0; }
"""
TAIL = """
static int __init lp_init(void) { return klp_enable_patch(&patch); }
static void __exit lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL v2");
MODULE_INFO(livepatch, "Y");
"""


def test_designated_nested_callbacks_and_terminators():
    m = model_of(BASE + """
static struct klp_func funcs[] = {
	{ .old_name = "a", .new_func = lp_a, },
	{ .old_name = "b", .new_func = &lp_b, .old_sympos = 2 },
	{ }
};
static struct klp_func mod_funcs[] = { {} };
static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = pre, .post_unpatch = post, } },
	{ .name = "m", .funcs = mod_funcs, .callbacks.post_patch = post },
	{ 0 }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, .replace = true };
""" + TAIL)
    assert m.init_func == "lp_init" and m.exit_func == "lp_exit"
    assert {(i.tag, i.value) for i in m.modinfo} == {("license", "GPL v2"), ("livepatch", "Y")}
    (p,) = m.patches
    assert p.mod == "THIS_MODULE" and p.replace and p.module_name == "snippet"
    assert [o.name for o in p.objects] == [None, "m"]
    assert p.objs.walk_end == 2 and p.objs.terminated
    v, mod = p.objects
    assert [(f.old_name, f.new_func.name, f.old_sympos) for f in v.funcs.walked] == [("a", "lp_a", None), ("b", "lp_b", 2)]
    assert v.callbacks.pre_patch.name == "pre" and v.callbacks.post_unpatch.name == "post"
    assert v.callbacks.post_patch is None
    assert mod.callbacks.post_patch.name == "post"
    assert mod.funcs.walked == () and mod.funcs.terminated


def test_positional_initializers_and_address_of_first_element():
    m = model_of(BASE + """
static struct klp_func funcs[] = { { "a", lp_a, 0 }, { NULL, NULL, 0 } };
static struct klp_object objs[] = { { NULL, &funcs[0] }, { } };
static struct klp_patch patch = { THIS_MODULE, objs };
""" + TAIL)
    (p,) = m.patches
    assert p.mod == "THIS_MODULE"
    (o,) = p.objects
    assert o.funcs.var == "funcs" and [f.old_name for f in o.funcs.walked] == ["a"]


def test_missing_terminator_and_sized_arrays():
    m = model_of(BASE + """
static struct klp_func funcs[] = { { .old_name = "a", .new_func = lp_a } };
static struct klp_func sized[3] = { { .old_name = "a", .new_func = lp_a } };
static struct klp_object objs[] = { { .funcs = funcs }, { .name = "x", .funcs = sized }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
""" + TAIL)
    v, x = m.patches[0].objects
    assert v.funcs.walk_end is None                 # walks past the end
    assert x.funcs.walk_end == 1 and x.funcs.declared_size == 3   # implicit zero elements end it


def test_object_walk_stops_at_callbacks_only_vmlinux_object():
    m = model_of(BASE + """
static struct klp_func funcs[] = { { .old_name = "a", .new_func = lp_a }, { } };
static struct klp_object objs[] = {
	{ .callbacks = { .pre_patch = pre } },
	{ .name = "m", .funcs = funcs },
	{ }
};
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
""" + TAIL)
    p = m.patches[0]
    assert p.objs.walk_end == 0 and p.objects == ()
    assert len(p.objs.entries) == 3


def test_hooks_arrays_stop_at_null_hook_and_states():
    m = model_of(BASE + """
static struct klp_hook ph[] = { { .hook = hk }, { .hook = NULL }, { .hook = hk }, { } };
static struct klp_hook uh[] = { { hk }, { } };
static struct klp_func funcs[] = { { .old_name = "a", .new_func = lp_a }, { } };
static struct klp_object objs[] = { { .funcs = funcs, .patch_hooks = ph, .unpatch_hooks = uh }, { } };
static struct klp_state states[] = { { .id = 3, .version = 2 }, { .id = 0 }, { .id = 4 }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, .states = states };
""" + TAIL)
    p = m.patches[0]
    (o,) = p.objects
    assert p.api == "hooks"
    assert [h.func.name for h in o.hooks("patch_hook")] == ["hk"] and o.patch_hooks.walk_end == 1
    assert [h.func.name for h in o.hooks("unpatch_hook")] == ["hk"]
    assert p.states.walk_end == 1 and p.state_ids() == {3}


def test_compound_literal_tables_and_local_patch():
    m = model_of(BASE + """
static struct klp_object objs[] = {
	{ .funcs = (struct klp_func[]) { { .old_name = "a", .new_func = lp_a }, { } } },
	{ }
};
static int __init lp_init(void)
{
	struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
	return klp_enable_patch(&patch);
}
module_init(lp_init);
""")
    (p,) = m.patches
    assert not p.decl.is_global
    assert [f.old_name for f in p.objects[0].funcs.walked] == ["a"]


def test_sections_storage_and_locations():
    m = model_of(BASE + """
static struct klp_func funcs[] __initdata = { { .old_name = "a", .new_func = lp_a }, { } };
static const struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = (struct klp_object *)objs };
""" + TAIL)
    assert m.variables["funcs"].section == ".init.data"
    assert m.variables["objs"].type.target.const
    assert m.functions["lp_init"].section == ".init.text"
    assert m.functions["lp_exit"].section == ".exit.text"
    assert m.functions["pre"].section is None and m.functions["pre"].storage == "static"
    # lines are the file's own (the prelude comes first)
    assert m.functions["lp_a"].loc.line == prelude_lines() + 2


def test_shadow_uses_are_extracted():
    m = model_of(BASE + """
#define SV_ID 7
static int ctor(void *obj, void *data, void *arg) { return 0; }
static void dtor(void *obj, void *data) { }
static int use(struct klp_object *obj)
{
	void *p = klp_shadow_get_or_alloc(obj, SV_ID, 8, GFP_KERNEL, ctor, NULL);
	klp_shadow_free(obj, SV_ID, dtor);
	klp_shadow_free_all(SV_ID, NULL);
	return p ? 0 : -ENOMEM;
}
""")
    uses = [(u.call, u.function, u.obj, u.id, u.ctor, u.dtor) for u in m.shadow_uses]
    assert uses == [("klp_shadow_get_or_alloc", "use", "obj", 7, "ctor", None),
                    ("klp_shadow_free", "use", "obj", 7, None, "dtor"),
                    ("klp_shadow_free_all", "use", "", 7, None, None)]
