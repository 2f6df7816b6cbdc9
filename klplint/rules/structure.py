"""KLP1xx: the klp_patch / klp_object / klp_func / klp_hook / klp_state tables, checked as the core walks them."""
from __future__ import annotations

from typing import Dict, Iterable, Optional, Set

from klplint import ir
from klplint.findings import Edit, Finding, Fix
from klplint.ir.util import reachable, strip, walk
from klplint.patch import model
from klplint.rules.registry import rule
from klplint.fixes import read_text, terminator_edits

# ------------------------------------------------------------------ rule documentation

KLP101 = rule(
    id="KLP101", name="missing-terminator", api="B", level="error",
    summary="An objs, funcs, hooks or states array without a final zero entry: the core walks past its end.",
    why="""The core has no array lengths: it walks `patch->objs` until an entry with neither `name` nor
`funcs`, each `funcs` array until an entry with no `old_name`, `new_func` or `old_sympos`, each hook
array until a NULL `.hook`, and `patch->states` until `id == 0`. Without that final zero entry it reads
whatever follows the array in memory and treats it as more objects, functions, hooks or states: a
crash at `insmod` time or a patch of garbage.""",
    bad="""static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
};""",
    good="""static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};""",
    fix="Add `{ }` as the last element of the array.",
    precision="very-high")

KLP102 = rule(
    id="KLP102", name="object-ends-walk-early", api="B", level="error",
    summary="An object entry with neither `name` nor `funcs` that is not the last: the core takes it for the "
            "terminator, so it and every later object are ignored.",
    why="""`klp_for_each_object_static()` continues while `obj->funcs || obj->name`. A vmlinux object
written with only hooks or callbacks (no `funcs`) satisfies neither, so the walk stops there: that
object's callbacks never run and every object after it is never patched, silently.""",
    bad="""static struct klp_object objs[] = {
	{ .callbacks = { .pre_patch = pre_patch_vmlinux, } },   /* vmlinux, callbacks only */
	{ .name = "nf_conntrack", .funcs = nf_funcs, },
	{ }
};""",
    good="""static struct klp_func no_funcs[] = { { } };
static struct klp_object objs[] = {
	{ .funcs = no_funcs, .callbacks = { .pre_patch = pre_patch_vmlinux, } },
	{ .name = "nf_conntrack", .funcs = nf_funcs, },
	{ }
};""",
    fix="Give the object an empty `funcs` array (`{ { } }`), or move its hooks/callbacks to an object "
        "that has functions.")

KLP103 = rule(
    id="KLP103", name="object-without-funcs", api="B", level="error",
    summary="A named object whose `funcs` is NULL or missing: registration fails with -EINVAL.",
    why="""`klp_init_patch_early()` rejects every object whose `funcs` pointer is NULL with -EINVAL, so
`klp_enable_patch()` fails and the livepatch module does not load.""",
    bad="""static struct klp_object objs[] = {
	{ .name = "ext4", .callbacks = { .post_patch = ext4_post_patch, } },
	{ }
};""",
    good="""static struct klp_func ext4_funcs[] = { { } };
static struct klp_object objs[] = {
	{ .name = "ext4", .funcs = ext4_funcs, .callbacks = { .post_patch = ext4_post_patch, } },
	{ }
};""",
    fix="Point `.funcs` at a klp_func array (an empty `{ { } }` one if the object only has callbacks).")

KLP104 = rule(
    id="KLP104", name="null-hook-ends-list", api="H", level="error",
    summary="A hook entry with a NULL or missing `.hook` before the last entry: later hooks never run.",
    why="""The core runs hooks while `hook->hook != NULL`. A NULL `.hook` in the middle of the array is
taken for the terminator: the hooks after it never run, so their setup (or teardown) silently never
happens.""",
    bad="""static struct klp_hook patch_hooks[] = {
	{ .hook = alloc_cache },
	{ },
	{ .hook = register_notifier_hook },   /* never runs */
	{ }
};""",
    good="""static struct klp_hook patch_hooks[] = {
	{ .hook = alloc_cache },
	{ .hook = register_notifier_hook },
	{ }
};""",
    fix="Remove the empty entry from the middle of the array; keep one `{ }` at the end.")

KLP105 = rule(
    id="KLP105", name="func-incomplete", api="B", level="error",
    summary="A klp_func entry missing `old_name` or `new_func` (or an empty entry before the end).",
    why="""`klp_init_func()` fails with -EINVAL when `old_name` or `new_func` is missing, so the patch does not
load; an entirely empty entry in the middle ends the walk, so the functions after it are never
patched.""",
    bad="""static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", },
	{ }
};""",
    good="""static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};""",
    fix="Give every entry both `.old_name` and `.new_func`; keep the only empty entry at the end.")

KLP106 = rule(
    id="KLP106", name="callback-signature", api="B", level="error",
    summary="A hook or callback whose type differs from what the core calls: hook and pre_patch "
            "`int (struct klp_object *)`, post_patch/pre_unpatch/post_unpatch `void (struct klp_object *)`.",
    why="""The core calls through `int (*)(struct klp_object *)` or `void (*)(struct klp_object *)`. A function of
another type, stored with a cast, is called with the wrong arguments or its return value is read from
a register it never set: a pre_patch declared `void` returns garbage and can refuse or accept patching
at random. (Shadow ctor/dtor prototypes are KLP305.)""",
    bad="""static void pre_patch_cb(struct klp_object *obj) { setup(); }
static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = (void *)pre_patch_cb, } }, { }
};""",
    good="""static int pre_patch_cb(struct klp_object *obj) { return setup(); }
static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = pre_patch_cb, } }, { }
};""",
    fix="Declare the function with exactly the prototype of its role and drop the cast.")

KLP107 = rule(
    id="KLP107", name="vmlinux-named-object", api="B", level="error",
    summary='An object whose `.name` is the string "vmlinux": it is treated as a module that never loads.',
    why="""The core identifies the vmlinux object by a NULL `name`. An object named "vmlinux" is a module
object for a module called vmlinux, which never loads: its functions are never patched and its
callbacks never run, while `klp_enable_patch()` reports success.""",
    bad="""static struct klp_object objs[] = { { .name = "vmlinux", .funcs = funcs, }, { } };""",
    good="""static struct klp_object objs[] = { { /* name NULL: vmlinux */ .funcs = funcs, }, { } };""",
    fix="Leave `.name` out (NULL) for the kernel itself.")

KLP108 = rule(
    id="KLP108", name="duplicate-object", api="B", level="error",
    summary="Two objects for the same target (same module name, or two vmlinux objects).",
    why="""Functions of one target must all live in one object: with two, the core patches the same
module twice through two object kobjects; registration fails on the duplicate sysfs name (`-EEXIST`),
or on older kernels the two objects' callbacks run in an order nobody intended.""",
    bad="""static struct klp_object objs[] = {
	{ .funcs = funcs_a, }, { .funcs = funcs_b, }, { }
};""",
    good="""static struct klp_object objs[] = { { .funcs = funcs_ab, }, { } };""",
    fix="Merge the two objects' funcs arrays into one object.")

KLP109 = rule(
    id="KLP109", name="duplicate-func", api="B", level="error",
    summary="The same (old_name, sympos) twice in one object; sympos 0 and 1 are the same.",
    why="""Two klp_func entries for one function create two sysfs entries with the same name
(`old_name,sympos`), so registration fails with -EEXIST; `old_sympos` 0 means "the only one", which is
position 1.""",
    bad="""static struct klp_func funcs[] = {
	{ .old_name = "show_map", .new_func = new_show_map, },
	{ .old_name = "show_map", .new_func = new_show_map2, .old_sympos = 1, },
	{ }
};""",
    good="""static struct klp_func funcs[] = {
	{ .old_name = "show_map", .new_func = new_show_map, .old_sympos = 1, },
	{ .old_name = "show_map", .new_func = new_show_map2, .old_sympos = 2, },
	{ }
};""",
    fix="Keep one entry per function, or give each static duplicate its own `old_sympos` (1, 2, ...).")

KLP110 = rule(
    id="KLP110", name="patch-mod-not-this-module", api="B", level="error",
    summary="`klp_patch.mod` missing or not `THIS_MODULE`.",
    why="""`klp_enable_patch()` refuses a patch whose `mod` is NULL or not a livepatch module (-EINVAL); a
`mod` that names another module ties the patch's lifetime to the wrong module, so the core can free
the patch while its module is still loaded.""",
    bad="""static struct klp_patch patch = { .objs = objs, };""",
    good="""static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };""",
    fix="Set `.mod = THIS_MODULE`.")

KLP111 = rule(
    id="KLP111", name="patch-without-objects", api="B", level="error",
    summary="`klp_patch.objs` missing or empty.",
    why="""`klp_enable_patch()` returns -EINVAL for a patch without objects: there is nothing to patch, and
the module fails to load.""",
    bad="""static struct klp_patch patch = { .mod = THIS_MODULE, };""",
    good="""static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };""",
    fix="Point `.objs` at a terminated klp_object array with at least one object.")

KLP112 = rule(
    id="KLP112", name="missing-livepatch-modinfo", api="B", level="error",
    summary='No `MODULE_INFO(livepatch, "Y")`: the core refuses the module.',
    why="""`klp_enable_patch()` checks `is_livepatch_module(patch->mod)`, which is true only when the module
carries the `livepatch=Y` modinfo tag (kbuild does not add it). Without it, enabling fails with
-EINVAL.""",
    bad="""MODULE_LICENSE("GPL");""",
    good="""MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");""",
    fix='Add `MODULE_INFO(livepatch, "Y");` to the module.')

KLP113 = rule(
    id="KLP113", name="license-not-gpl", api="B", level="error",
    summary="No MODULE_LICENSE or a non-GPL-compatible one: the GPL-only livepatch symbols do not resolve.",
    why="""`klp_enable_patch`, `klp_shadow_*` and `klp_get_state` are exported with `EXPORT_SYMBOL_GPL`. A module
without a GPL-compatible license cannot link against them: modpost fails the build, or the load
fails with unknown symbols.""",
    bad="""MODULE_INFO(livepatch, "Y");""",
    good="""MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");""",
    fix='Add `MODULE_LICENSE("GPL");` (or another GPL-compatible license string).')

KLP114 = rule(
    id="KLP114", name="init-section-callback", api="B", level="error",
    summary="A hook, callback, replacement function, ctor or dtor marked `__init`/`__exit`.",
    why="""`__init` code is freed once `module_init` returns and `__exit` code is discarded or freed early,
yet the core calls hooks and callbacks (and the kernel runs replacement functions) long after:
on a module loading later, on disable, on unload. The call jumps into freed memory.""",
    bad="""static int __init pre_patch_cb(struct klp_object *obj) { return 0; }""",
    good="""static int pre_patch_cb(struct klp_object *obj) { return 0; }""",
    fix="Remove `__init`/`__exit` from every function the livepatch tables point to.")

KLP115 = rule(
    id="KLP115", name="klp-table-storage", api="B", level="error",
    summary="A klp table declared `const`, `__initdata`, or with automatic storage.",
    why="""The core keeps pointers to the patch, object and func tables for the patch's whole life and
writes into them (kobjects, `obj->mod`, `func->old_func`, list heads). A `const` table lives in
read-only memory (the first write oopses), an `__initdata` one is freed after init, and a table on
the stack is gone when the function returns.""",
    bad="""static int __init lp_init(void)
{
	struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
	return klp_enable_patch(&patch);
}""",
    good="""static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int __init lp_init(void) { return klp_enable_patch(&patch); }""",
    fix="Declare every klp table `static` at file scope, writable, outside init sections.")

KLP116 = rule(
    id="KLP116", name="same-hooks-both-ways", api="H", level="warning",
    summary="`patch_hooks` and `unpatch_hooks` point to the same array.",
    why="""The same functions then run before patching and after unpatching: whatever they set up on the
patch side they set up again on the unpatch side instead of tearing it down (or tear down before
patching), unless every hook tests which way it is called, which a hook cannot tell from `obj`.""",
    bad="""static struct klp_object objs[] = {
	{ .funcs = funcs, .patch_hooks = hooks, .unpatch_hooks = hooks, }, { }
};""",
    good="""static struct klp_object objs[] = {
	{ .funcs = funcs, .patch_hooks = setup_hooks, .unpatch_hooks = teardown_hooks, }, { }
};""",
    fix="Give the unpatch side its own array of teardown hooks.")

KLP117 = rule(
    id="KLP117", name="enable-protocol", api="B", level="warning",
    summary="The result of `klp_enable_patch`/`klp_register_patch` ignored, a patch never enabled, enable "
            "outside `module_init`, or (hooks era) no unregister on module exit.",
    why="""`klp_enable_patch()` fails for many reasons (a failing pre_patch, a missing symbol, another patch
in transition); ignoring its result leaves the module loaded with the patch not applied, and nothing
says so. Since 5.1 the patch must be enabled from `module_init` (the core ties the patch to the
module's load); a table never passed to the core is dead code. In the hooks era a registered patch
must be unregistered in `module_exit`, or the core keeps pointers into the unloaded module.""",
    bad="""static int __init lp_init(void)
{
	klp_enable_patch(&patch);
	return 0;
}""",
    good="""static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}""",
    fix="Return (or check) the result of `klp_enable_patch()` from `module_init`; in the hooks API pair "
        "`klp_register_patch()` with `klp_unregister_patch()` in `module_exit`.")

KLP118 = rule(
    id="KLP118", name="api-generation-mix", api="B", level="error",
    summary="One object mixing hooks fields and callbacks, or more than one callback of a kind per object.",
    why="""A kernel implements one generation: with hooks, `.callbacks` does not exist or is ignored; with
callbacks, `.patch_hooks` does not exist. Mixing them means half of the object's setup never runs.
A callback role holds one function: writing it twice keeps only the last, silently dropping the
first.""",
    bad="""static struct klp_object objs[] = {
	{ .funcs = funcs, .patch_hooks = hooks,
	  .callbacks = { .post_unpatch = cleanup, } }, { }
};""",
    good="""static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = setup, .post_unpatch = cleanup, } }, { }
};""",
    fix="Use one API generation per object, and one function per callback role (call helpers from it).")


# ------------------------------------------------------------------ helpers

def _finding(r, loc: ir.Location, message: str, function: Optional[str] = None, fixes=()) -> Finding:
    return Finding(r.id, r.level, message, loc, (), function, tuple(fixes))


def _table_loc(m: model.PatchModule, table: model.Table) -> ir.Location:
    decl = m.variables.get(table.var) or m.locals.get(table.var) if table.var else None
    return decl.loc if decl is not None else table.loc


def _table_name(table: model.Table, kind: str) -> str:
    return f"{kind} array '{table.var}'" if table.var else f"{kind} array"


def _tables(m: model.PatchModule):
    """(patch, kind, table, owner object or None) for every table of every patch, each array once."""
    seen: Set[tuple] = set()
    for p in m.patches:
        items = [("objs", p.objs, None), ("states", p.states, None)]
        for o in (p.objs.entries if p.objs else ()):
            items += [("funcs", o.funcs, o), ("patch_hooks", o.patch_hooks, o), ("unpatch_hooks", o.unpatch_hooks, o)]
        for kind, t, o in items:
            if t is None:
                continue
            key = (kind, t.var or id(t), t.loc if not t.var else None)
            if key in seen:
                continue
            seen.add(key)
            yield p, kind, t, o


def _terminator_fix(table: model.Table) -> tuple:
    if table.end == ir.NOWHERE:
        return ()
    source = read_text(table.end.file)
    if source is None:      # standard input: the reader settles the edits against the text it has
        return (Fix("add the terminating { } entry", (Edit(table.end, table.end, "\t{ }\n"),)),)
    # a comma after the last element when it has none, inline for an array on one line
    return (Fix("add the terminating { } entry", terminator_edits(table.end.file, source, table.end.line,
                                                                  table.end.col)),)


_KIND_WORD = {"objs": "objs", "funcs": "funcs", "patch_hooks": "hooks", "unpatch_hooks": "hooks",
              "states": "states"}


# ------------------------------------------------------------------ checks

@KLP101.check
def missing_terminator(m: model.PatchModule) -> Iterable[Finding]:
    for p, kind, t, _ in _tables(m):
        if t.walk_end is None:
            stop = {"objs": "an entry with neither .name nor .funcs", "funcs": "an empty entry",
                    "patch_hooks": "a NULL .hook", "unpatch_hooks": "a NULL .hook",
                    "states": "an entry with .id 0"}[kind]
            yield _finding(KLP101, _table_loc(m, t),
                           f"{_table_name(t, _KIND_WORD[kind])} has no terminating {{ }} entry: the core walks "
                           f"past its end looking for {stop}", t.var, _terminator_fix(t))


@KLP102.check
def object_ends_walk_early(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        t = p.objs
        if t is None or t.walk_end is None:
            continue
        stop = t.entries[t.walk_end]
        later = len(t.entries) - t.walk_end - 1
        has_code = stop.uses_hooks or (stop.callbacks is not None and any(True for _ in stop.callbacks.items()))
        if later > 0 and not all(e.is_zero for e in t.entries[t.walk_end + 1:]):
            what = "it and the objects after it are" if has_code else "the objects after it are"
            yield _finding(KLP102, stop.loc,
                           f"object #{t.walk_end + 1} of '{t.var or p.var}' has neither .name nor .funcs: the core "
                           f"takes it for the end of the array, so {what} ignored", t.var)
        elif has_code:
            yield _finding(KLP102, stop.loc,
                           f"object #{t.walk_end + 1} of '{t.var or p.var}' has hooks or callbacks but neither .name "
                           f"nor .funcs: the core takes it for the end of the array and never runs them", t.var)


@KLP103.check
def object_without_funcs(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        for o in p.objects:
            if o.name is not None and o.funcs is None and not o.funcs_unresolved:
                yield _finding(KLP103, o.name_loc or o.loc,
                               f"object '{o.name}' has no .funcs: klp_enable_patch() fails with -EINVAL",
                               p.objs.var if p.objs else None)


@KLP104.check
def null_hook_ends_list(m: model.PatchModule) -> Iterable[Finding]:
    for p, kind, t, o in _tables(m):
        if kind not in ("patch_hooks", "unpatch_hooks") or t.walk_end is None:
            continue
        skipped = [h for h in t.entries[t.walk_end + 1:] if h.func is not None]
        if skipped:
            names = ", ".join(h.func.name or "?" for h in skipped)
            yield _finding(KLP104, t.entries[t.walk_end].loc,
                           f"hook #{t.walk_end + 1} of '{t.var or kind}' has a NULL .hook: the core stops there and "
                           f"never runs {names}", t.var)


@KLP105.check
def func_incomplete(m: model.PatchModule) -> Iterable[Finding]:
    for p, kind, t, o in _tables(m):
        if kind != "funcs":
            continue
        for i, fn in enumerate(t.walked):
            missing = [n for n, v in (("old_name", fn.old_name), ("new_func", fn.new_func)) if v is None]
            if missing:
                yield _finding(KLP105, fn.loc,
                               f"klp_func #{i + 1} of '{t.var or 'funcs'}' has no .{' or .'.join(missing)}: "
                               f"klp_enable_patch() fails with -EINVAL", t.var)
        if t.walk_end is not None:
            later = [f for f in t.entries[t.walk_end + 1:] if not f.is_zero]
            if later:
                yield _finding(KLP105, t.entries[t.walk_end].loc,
                               f"empty klp_func #{t.walk_end + 1} of '{t.var or 'funcs'}' ends the array early: "
                               f"{len(later)} function(s) after it are never patched", t.var)


def _is_klp_object_ptr(t: ir.Type) -> bool:
    return t.kind == "ptr" and t.target is not None and t.target.kind == "struct" and t.target.name == "klp_object"


def signature_problem(fn: ir.FunctionDecl, returns: str) -> Optional[str]:
    """Why fn's prototype is not `<returns> (struct klp_object *)`, or None."""
    ft = fn.type.pointee_func()
    if ft is None:
        return None
    ret = ft.target
    if returns == "int" and not (ret is not None and ret.kind == "int" and ret.name == "int"):
        return f"returns {ret.spelling() if ret else '?'}, the core expects int"
    if returns == "void" and ret is not None and ret.kind != "void":
        return f"returns {ret.spelling()}, the core expects void"
    if len(ft.params) != 1 or not _is_klp_object_ptr(ft.params[0]):
        got = ", ".join(t.spelling() for t in ft.params) or "void"
        return f"takes ({got}), the core passes (struct klp_object *)"
    return None


@KLP106.check
def callback_signature(m: model.PatchModule) -> Iterable[Finding]:
    seen = set()
    for p in m.patches:
        for o in p.objects:
            for role, ref in o.role_functions():
                fn = m.functions.get(ref.name) if ref.name else None
                if fn is None or (role, ref.loc) in seen:
                    continue
                seen.add((role, ref.loc))
                returns = "int" if role in ("patch_hook", "unpatch_hook", "pre_patch") else "void"
                why = signature_problem(fn, returns)
                if why:
                    yield _finding(KLP106, ref.loc, f"{role.replace('_', ' ')} '{fn.name}' {why}", fn.name)


@KLP107.check
def vmlinux_named_object(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        for o in p.objects:
            if o.name == "vmlinux":
                yield _finding(KLP107, o.name_loc or o.loc,
                               'object named "vmlinux" is taken for a module called vmlinux, which never loads: '
                               "leave .name NULL for the kernel", p.objs.var if p.objs else None)


@KLP108.check
def duplicate_object(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        first: Dict[Optional[str], model.KlpObject] = {}
        for o in p.objects:
            if o.name in first:
                prev = first[o.name]
                yield _finding(KLP108, o.name_loc or o.loc,
                               f"second object for {o.label} (the first is at line {prev.loc.line}): "
                               "put all its functions in one object", p.objs.var if p.objs else None)
            else:
                first[o.name] = o


@KLP109.check
def duplicate_func(m: model.PatchModule) -> Iterable[Finding]:
    for p, kind, t, o in _tables(m):
        if kind != "funcs":
            continue
        first: Dict[tuple, model.KlpFunc] = {}
        for fn in t.walked:
            if fn.old_name is None:
                continue
            key = (fn.old_name, max(fn.old_sympos or 0, 1))
            if key in first:
                yield _finding(KLP109, fn.loc,
                               f"'{fn.old_name}' (sympos {key[1]}) is already patched at line {first[key].loc.line} "
                               "of this object", t.var)
            else:
                first[key] = fn


@KLP110.check
def patch_mod(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        if p.mod is None:
            yield _finding(KLP110, p.loc, f"klp_patch '{p.var}' has no .mod: set .mod = THIS_MODULE", p.var)
        elif p.mod != "THIS_MODULE":
            yield _finding(KLP110, p.mod_loc or p.loc,
                           f"klp_patch '{p.var}' has .mod = {p.mod}, not THIS_MODULE", p.var)


@KLP111.check
def patch_without_objects(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        if p.objs is None and not p.objs_unresolved:     # an unfollowed table has its own note
            yield _finding(KLP111, p.loc, f"klp_patch '{p.var}' has no .objs: klp_enable_patch() fails with -EINVAL",
                           p.var)
        elif p.objs is not None and not p.objects and p.objs.walk_end == 0 and all(o.is_zero for o in p.objs.entries):
            # (an object with callbacks but no name/funcs that ends the walk is KLP102's)
            yield _finding(KLP111, _table_loc(m, p.objs),
                           f"klp_patch '{p.var}' has an empty objs array: klp_enable_patch() fails with -EINVAL",
                           p.var)


def _append_fix(m: model.PatchModule, text: str, description: str) -> tuple:
    try:
        with open(m.path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ()
    end = ir.Location(m.path, len(lines) + 1, 1)
    return (Fix(description, (Edit(end, end, text),)),)


@KLP112.check
def missing_livepatch_modinfo(m: model.PatchModule) -> Iterable[Finding]:
    if not m.patches or any(i.value == "Y" for i in m.modinfo_values("livepatch")):
        return
    p = m.patches[0]
    yield _finding(KLP112, p.loc, 'no MODULE_INFO(livepatch, "Y"): klp_enable_patch() refuses the module', p.var,
                   _append_fix(m, 'MODULE_INFO(livepatch, "Y");\n', 'add MODULE_INFO(livepatch, "Y")'))


GPL_COMPATIBLE = {"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"}


@KLP113.check
def license_not_gpl(m: model.PatchModule) -> Iterable[Finding]:
    if not m.patches:
        return
    lic = m.modinfo_values("license")
    if not lic:
        p = m.patches[0]
        yield _finding(KLP113, p.loc, "no MODULE_LICENSE: the GPL-only livepatch symbols will not resolve", p.var,
                       _append_fix(m, 'MODULE_LICENSE("GPL");\n', 'add MODULE_LICENSE("GPL")'))
    for i in lic:
        if i.value not in GPL_COMPATIBLE:
            yield _finding(KLP113, i.loc, f'MODULE_LICENSE("{i.value}") is not GPL-compatible: '
                           "the GPL-only livepatch symbols will not resolve")


def _code_refs(m: model.PatchModule):
    """(what, FuncRef) for every function the core or the kernel will call through the tables."""
    for p in m.patches:
        for o in p.objects:
            for role, ref in o.role_functions():
                yield role.replace("_", " "), ref
            for fn in (o.funcs.walked if o.funcs else ()):
                if fn.new_func is not None:
                    yield "replacement function", fn.new_func
    for f in m.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if isinstance(n, ir.Call) and n.callee_name in ("klp_shadow_alloc", "klp_shadow_get_or_alloc") \
                    and len(n.args) >= 5:
                yield from _fn_arg(n.args[4], "shadow ctor")
            if isinstance(n, ir.Call) and n.callee_name == "klp_shadow_free" and len(n.args) >= 3:
                yield from _fn_arg(n.args[2], "shadow dtor")
            if isinstance(n, ir.Call) and n.callee_name == "klp_shadow_free_all" and len(n.args) >= 2:
                yield from _fn_arg(n.args[1], "shadow dtor")


def _fn_arg(e: ir.Expr, what: str):
    s = strip(e)
    if isinstance(s, ir.Unary) and s.op == "&":
        s = strip(s.operand)
    if isinstance(s, ir.Name) and s.kind == "func":
        yield what, model.FuncRef(s.name, e.loc, e)


@KLP114.check
def init_section_callback(m: model.PatchModule) -> Iterable[Finding]:
    seen = set()
    for what, ref in _code_refs(m):
        fn = m.functions.get(ref.name) if ref.name else None
        if fn is None or not fn.section or (fn.name, ref.loc) in seen:
            continue
        if fn.section.startswith((".init", ".exit")):
            seen.add((fn.name, ref.loc))
            marker = "__init" if fn.section.startswith(".init") else "__exit"
            yield _finding(KLP114, ref.loc,
                           f"{what} '{fn.name}' is {marker} (section {fn.section}): it is freed before the core "
                           "calls it", fn.name)


def _storage_problem(decl: ir.VarDecl) -> Optional[str]:
    t = decl.type
    elem = t.target if t.kind == "array" and t.target is not None else t
    if t.const or elem.const:
        return "is const: the core writes into it"
    if decl.section and decl.section.startswith((".init", ".exit")):
        return f"is in {decl.section}: it is freed while the core still uses it"
    if not decl.is_global and decl.storage != "static":
        return "has automatic storage: it is gone when the function returns, the core keeps pointers to it"
    return None


@KLP115.check
def klp_table_storage(m: model.PatchModule) -> Iterable[Finding]:
    decls = []
    for p in m.patches:
        if p.decl is not None:
            decls.append(("klp_patch", p.decl))
    for p, kind, t, o in _tables(m):
        if t.var:
            d = m.variables.get(t.var) or m.locals.get(t.var)
            if d is not None:
                decls.append((kind, d))
    seen = set()
    for kind, d in decls:
        if d.name in seen:
            continue
        seen.add(d.name)
        why = _storage_problem(d)
        if why:
            yield _finding(KLP115, d.loc, f"klp table '{d.name}' {why}", d.name)


@KLP116.check
def same_hooks_both_ways(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        for o in p.objects:
            ph, uh = o.patch_hooks, o.unpatch_hooks
            if ph is not None and uh is not None and ph.var and ph.var == uh.var:
                yield _finding(KLP116, uh.loc,
                               f"object {o.label} uses '{ph.var}' as both patch_hooks and unpatch_hooks", ph.var)


_ENABLE = ("klp_enable_patch", "klp_register_patch")




def _patch_arg(call: ir.Call) -> Optional[str]:
    if not call.args:
        return None
    a = strip(call.args[0])
    if isinstance(a, ir.Unary) and a.op == "&":
        a = strip(a.operand)
    return a.name if isinstance(a, ir.Name) else None


def _handed_over(m: model.PatchModule) -> Set[str]:
    """Patches passed to a function of this file that hands its parameter on to klp_enable_patch()
    or klp_register_patch() (directly or through another such helper), or to a function this file
    does not define (a shared helper of another unit, which klplint cannot see)."""
    forwards: Dict[str, Set[int]] = {}      # function -> indices of the parameters it enables
    changed = True
    while changed:
        changed = False
        for f in m.functions.values():
            if f.body is None:
                continue
            params = [p.name for p in f.params]
            for n in walk(f.body):
                if not isinstance(n, ir.Call):
                    continue
                idxs = {0} if n.callee_name in _ENABLE else forwards.get(n.callee_name or "", set())
                for i in idxs:
                    a = strip(n.args[i]) if i < len(n.args) else None
                    if isinstance(a, ir.Name) and a.kind == "param" and a.name in params:
                        k = params.index(a.name)
                        if k not in forwards.setdefault(f.name, set()):
                            forwards[f.name].add(k)
                            changed = True
    out: Set[str] = set()
    for f in m.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if not isinstance(n, ir.Call) or not n.callee_name or n.callee_name.startswith("klp_"):
                continue
            callee = m.functions.get(n.callee_name)
            unseen = callee is None or callee.body is None
            for i, a in enumerate(n.args):
                if unseen or i in forwards.get(n.callee_name, ()):
                    a = strip(a)
                    if isinstance(a, ir.Unary) and a.op == "&":
                        a = strip(a.operand)
                        if isinstance(a, ir.Name):
                            out.add(a.name)
    return out


@KLP117.check
def enable_protocol(m: model.PatchModule) -> Iterable[Finding]:
    if not m.patches:
        return
    from_init = reachable(m.functions, [m.init_func])
    from_exit = reachable(m.functions, [m.exit_func])
    enabled: Set[str] = set()
    registered = False
    unregistered = False
    for f in m.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if isinstance(n, ir.ExprStmt) and isinstance(n.expr, ir.Call) and n.expr.callee_name in _ENABLE:
                yield _finding(KLP117, n.expr.loc,
                               f"the result of {n.expr.callee_name}() is ignored: a failure leaves the module "
                               "loaded with the patch not applied", f.name)
            if isinstance(n, ir.Call) and n.callee_name in _ENABLE:
                target = _patch_arg(n)
                if target:
                    enabled.add(target)
                if n.callee_name == "klp_register_patch":
                    registered = True
                if f.name not in from_init and n.callee_name == "klp_enable_patch" and m.init_func:
                    yield _finding(KLP117, n.loc,
                                   f"klp_enable_patch() called from {f.name}(), not from module_init: since 5.1 the "
                                   "patch must be enabled while its module loads", f.name)
            if isinstance(n, ir.Call) and n.callee_name == "klp_unregister_patch" and f.name in from_exit:
                unregistered = True
    handed = _handed_over(m)
    for p in m.patches:
        if p.var not in enabled and p.var not in handed and p.decl is not None and p.decl.is_global:
            yield _finding(KLP117, p.loc, f"klp_patch '{p.var}' is never passed to klp_enable_patch()", p.var)
    if registered and not unregistered:
        yield _finding(KLP117, m.patches[0].loc,
                       "klp_register_patch() without klp_unregister_patch() in module_exit: the core keeps "
                       "pointers into the unloaded module", m.patches[0].var)


@KLP118.check
def api_generation_mix(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        for o in p.objects:
            has_cb = o.callbacks is not None and any(True for _ in o.callbacks.items())
            if o.uses_hooks and has_cb:
                yield _finding(KLP118, o.loc, f"object {o.label} mixes patch/unpatch hooks with callbacks: a kernel "
                               "runs only one of the two", p.objs.var if p.objs else None)
            if o.callbacks is not None:
                for role, loc in o.callbacks.duplicates:
                    yield _finding(KLP118, loc, f"object {o.label} sets .{role} more than once: only the last one runs",
                                   p.objs.var if p.objs else None)
