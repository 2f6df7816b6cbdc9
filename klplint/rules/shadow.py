"""KLP3xx: shadow variables — typestate per (obj, id) on the engine, ctor/dtor context, ids."""
from __future__ import annotations

from typing import Iterable, Optional

from klplint import ir
from klplint.analysis.events import Event, EventKind
from klplint.analysis.results import Analysis
from klplint.analysis.statics import SHADOW_ALLOC, callback_refs, const_id
from klplint.findings import Finding, PathStep
from klplint.ir.util import walk
from klplint.patch import model
from klplint.patch.roles import AFTER_UNPATCHED, UNPATCH_SIDE
from klplint.rules.lifecycle import finding, in_fn, role_text
from klplint.rules.registry import rule

# ------------------------------------------------------------------ rule documentation

KLP301 = rule(
    id="KLP301", name="shadow-alloc-existing", api="C", level="warning",
    summary="`klp_shadow_alloc` where a variable with that (obj, id) may already exist (for instance in a "
            "callback that runs more than once): it warns and returns NULL; use `klp_shadow_get_or_alloc`.",
    why="""`klp_shadow_alloc()` refuses to attach a second variable with the same (obj, id): it prints a
warning and returns NULL. A callback that runs again (a target module loading a second time, a re-enable)
while the first variable is still attached gets NULL, and either fails or crashes on it.""",
    bad="""static void post_patch_cb(struct klp_object *obj)
{
	struct lp_stats *st = klp_shadow_alloc(&init_net, LP_STATS, sizeof(*st), GFP_KERNEL, NULL, NULL);
	if (st)
		st->loaded++;
}""",
    good="""static void post_patch_cb(struct klp_object *obj)
{
	struct lp_stats *st = klp_shadow_get_or_alloc(&init_net, LP_STATS, sizeof(*st), GFP_KERNEL,
						      NULL, NULL);
	if (st)
		st->loaded++;
}""",
    fix="Use `klp_shadow_get_or_alloc()`, or free the variable on the unpatch path that pairs with this one.")

KLP302 = rule(
    id="KLP302", name="shadow-ctor-sleeps", api="C", level="error",
    summary="A shadow ctor or dtor that sleeps or allocates with GFP_KERNEL: it runs under a spinlock with "
            "interrupts off.",
    why="""`klp_shadow_alloc()`/`klp_shadow_get_or_alloc()` call the ctor, and `klp_shadow_free()`/
`klp_shadow_free_all()` the dtor, with `klp_shadow_lock` held and interrupts disabled. A ctor or dtor
that sleeps (mutex_lock, msleep, GFP_KERNEL allocations, vmalloc, synchronize_rcu...) triggers
"scheduling while atomic" or deadlocks the CPU.""",
    bad="""static int lp_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct lp_data *d = shadow_data;
	d->buf = kmalloc(64, GFP_KERNEL);	/* sleeps under klp_shadow_lock */
	return d->buf ? 0 : -ENOMEM;
}""",
    good="""static int lp_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct lp_data *d = shadow_data;
	d->buf = ctor_data;			/* allocated by the caller, before */
	return 0;
}""",
    fix="Allocate and sleep before calling `klp_shadow_alloc()` and pass the result through `ctor_data`; in a "
        "dtor only free with non-sleeping calls (kfree).")

KLP303 = rule(
    id="KLP303", name="shadow-never-freed", api="C", level="warning",
    summary="A shadow id allocated by the patch that is never freed by `klp_shadow_free`/`klp_shadow_free_all` "
            "on any unpatch path.",
    why="""Shadow variables live in a global hash table of the livepatch core, not in the patch module. When
the patch is disabled and its module removed, every variable not freed stays in the table forever: leaked
memory, and a later patch reusing the id finds stale data (whose dtor, if any, pointed into the removed
module). Variables that replacement functions attach must be freed once no task runs them: in
`post_unpatch` or module_exit. In `pre_unpatch` the unpatching transition has not started, and the tasks
not yet switched back go on attaching.""",
    bad="""static void lp_exit(void)
{
	/* nothing: SV_COUNTER variables stay in the core's hash table */
}""",
    good="""static void lp_exit(void)
{
	klp_shadow_free_all(SV_COUNTER, NULL);
}""",
    fix="Call `klp_shadow_free_all(id, dtor)` from module_exit or post_unpatch (not pre_unpatch, while "
        "replacement functions that attach the id still run).")

KLP304 = rule(
    id="KLP304", name="shadow-id-unknown", api="C", level="note",
    summary="`klp_shadow_get`/`free` with an id that this patch never allocates: right when taking over a "
            "predecessor's variables (as the kernel's shadow-fix2 sample does), otherwise a typo.",
    why="""A shadow variable is found by (obj, id). Reading or freeing an id that no code of this patch
allocates only works if another patch (an earlier livepatch module) attached it; if that is not the plan,
the id is a typo and the lookup always fails.""",
    bad="""#define SV_LEAK	1
#define SV_LAEK	2
	p = klp_shadow_get(d, SV_LAEK);		/* allocated as SV_LEAK */""",
    good="""	p = klp_shadow_get(d, SV_LEAK);""",
    fix="Use the id the variable is allocated with; if it is a predecessor's variable, say so in a comment "
        "(and suppress the note).",
    precision="medium")

KLP305 = rule(
    id="KLP305", name="shadow-ctor-signature", api="C", level="error",
    summary="A ctor or dtor whose prototype does not match the API: ctor `int (void *obj, void *shadow_data, "
            "void *ctor_data)`, dtor `void (void *obj, void *shadow_data)`.",
    why="""The core calls the ctor through `klp_shadow_ctor_t` and the dtor through `klp_shadow_dtor_t`. A
function of another type, passed with a cast, is called with arguments it does not expect; with kernel
CFI (kCFI) the indirect call through the wrong type traps.""",
    bad="""static void lp_ctor(struct dummy *d, int *shadow_data)
{
	*shadow_data = 0;
}
	klp_shadow_alloc(d, SV_ID, sizeof(int), GFP_ATOMIC, (klp_shadow_ctor_t)lp_ctor, NULL);""",
    good="""static int lp_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	*(int *)shadow_data = 0;
	return 0;
}
	klp_shadow_alloc(d, SV_ID, sizeof(int), GFP_ATOMIC, lp_ctor, NULL);""",
    fix="Declare the ctor and dtor with exactly the prototypes of klp_shadow_ctor_t and klp_shadow_dtor_t and "
        "drop the cast.")


def id_text(sid) -> str:
    if sid is None:
        return "?"
    return f"{sid:#x}" if isinstance(sid, int) and sid >= 4096 else str(sid)


# ------------------------------------------------------------------ engine events

@KLP301.on(EventKind.SHADOW_EXISTS)
def shadow_exists(ev: Event, a: Analysis) -> Iterable[Finding]:
    h = ev.payload.heap
    where = f"{h.acq_fn}() ({role_text(h.acq_role)})" if h.acq_fn else "earlier"
    yield finding(KLP301, ev.loc, f"klp_shadow_alloc({ev.payload.obj}, {id_text(ev.payload.shadow_id)}, ...) runs while the "
                                  f"variable allocated at line {h.site.line} by {where} still exists: it warns and "
                                  "returns NULL; use klp_shadow_get_or_alloc()", ev,
                  "the shadow variable already exists")


@KLP302.on(EventKind.SLEEP_ATOMIC)
def sleep_atomic(ev: Event, a: Analysis) -> Iterable[Finding]:
    what = role_text(ev.role) if ev.role in ("ctor", "dtor") else "shadow ctor/dtor"
    yield finding(KLP302, ev.loc, f"{ev.payload.what} in {what} {in_fn(ev)}: the core runs it with "
                                  "klp_shadow_lock held and interrupts off", ev, "sleeps in atomic context")


@KLP303.on(EventKind.LEAK)
def shadow_leak(ev: Event, a: Analysis) -> Iterable[Finding]:
    h = ev.payload.heap
    if h is None or h.kind != "shadow" or ev.payload.replaced or ev.payload.where != "end":
        return
    sid = h.shadow_id
    yield finding(KLP303, ev.loc, f"shadow variable {id_text(sid)} allocated here "
                                  f"({h.acq_fn}(), {role_text(h.acq_role)}) is still attached when "
                                  f"{ev.payload.gone or 'the livepatch module is gone'} in scenario "
                                  f"'{ev.scenario}': free it with klp_shadow_free() or klp_shadow_free_all()", ev,
                  None, h.acq_fn)


def _shadow_calls(m: model.PatchModule, names):
    for f in m.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if isinstance(n, ir.Call) and n.callee_name in names:
                yield f, n


# Where the shadow variables replacement functions attach can be freed for good: code that runs once no
# task runs the new functions any more (the hooks API's unpatch hooks run after the functions are removed).
AFTER_REPLACEMENTS = AFTER_UNPATCHED + ("lp_exit",)


@KLP303.after(reads=(EventKind.SHADOW_FREE,))
def shadow_never_freed(a: Analysis) -> Iterable[Finding]:
    """Ids allocated by code the engine does not run (replacement functions): freed on no unpatch path
    that runs once the replacement functions no longer do. pre_unpatch is not one: tasks that have not
    switched back run the new functions until the unpatching transition completes, and go on attaching."""
    m = a.module
    frees = [ev for ev in a.facts_of(EventKind.SHADOW_FREE) if ev.role in UNPATCH_SIDE + ("lp_exit",)]
    freed = {ev.payload.shadow_id for ev in frees}
    freed_after = {ev.payload.shadow_id for ev in frees if ev.role in AFTER_REPLACEMENTS}
    if None in freed:
        return
    for f, call in _shadow_calls(m, SHADOW_ALLOC):
        if f.name not in a.statics.outside or f.name in a.statics.lifecycle or len(call.args) < 2:
            continue
        sid = const_id(m, call.args[1])
        if sid is None or sid in freed_after:
            continue
        path = (PathStep(call.loc, f"{f.name}() attaches shadow variables with id {id_text(sid)}"),)
        early = [ev for ev in frees if ev.payload.shadow_id == sid]
        if early:
            ev = early[0]
            path += (PathStep(ev.loc, f"{ev.function}() frees id {id_text(sid)} in pre_unpatch, before the "
                                      "unpatching transition", "statement"),)
            yield Finding(KLP303.id, KLP303.level,
                          f"shadow variables with id {id_text(sid)} attached by {f.name}() outlive the patch: "
                          f"they are freed in pre_unpatch ({ev.function}()), but tasks not yet switched back "
                          f"run {f.name}() until the unpatching transition completes and attach more; free "
                          "them in post_unpatch or module_exit", call.loc, path, f.name)
            continue
        exit_fn = m.functions.get(m.exit_func or "")
        if exit_fn is not None:
            path += (PathStep(exit_fn.loc, f"module_exit {exit_fn.name}() does not free id {id_text(sid)}", "scenario"),)
        yield Finding(KLP303.id, KLP303.level,
                      f"shadow variables with id {id_text(sid)} attached by {f.name}() are never freed: no "
                      "klp_shadow_free_all() (or klp_shadow_free()) for that id on an unpatch path or in "
                      "module_exit", call.loc, path, f.name)


# ------------------------------------------------------------------ structural checks

@KLP304.check
def shadow_id_unknown(m: model.PatchModule) -> Iterable[Finding]:
    if not m.patches:
        return
    allocated = set()
    for _, call in _shadow_calls(m, SHADOW_ALLOC):
        sid = const_id(m, call.args[1]) if len(call.args) > 1 else None
        if sid is None:
            return          # an id klplint cannot compute: it could be any
        allocated.add(sid)
    for f, call in _shadow_calls(m, ("klp_shadow_get", "klp_shadow_free", "klp_shadow_free_all")):
        idx = 0 if call.callee_name == "klp_shadow_free_all" else 1
        if len(call.args) <= idx:
            continue
        sid = const_id(m, call.args[idx])
        if sid is None or sid in allocated:
            continue
        yield Finding(KLP304.id, KLP304.level,
                      f"{call.callee_name}() with shadow id {id_text(sid)}, which this patch never allocates: right only if "
                      "an earlier livepatch attached these variables", call.loc, (), f.name)


def _is_void_ptr(t: ir.Type) -> bool:
    return t.kind == "ptr" and t.target is not None and t.target.kind == "void"


def ctor_problem(fn: ir.FunctionDecl, what: str) -> Optional[str]:
    ft = fn.type.pointee_func()
    if ft is None:
        return None
    ret = ft.target
    params = ft.params
    if what == "ctor":
        if ret is None or ret.kind != "int" or ret.name != "int":
            return f"returns {ret.spelling() if ret else '?'}, a shadow ctor returns int"
        want = 3
    else:
        if ret is not None and ret.kind != "void":
            return f"returns {ret.spelling()}, a shadow dtor returns void"
        want = 2
    if len(params) != want or not all(_is_void_ptr(p) for p in params):
        got = ", ".join(p.spelling() for p in params) or "void"
        exp = "void *obj, void *shadow_data, void *ctor_data" if what == "ctor" else "void *obj, void *shadow_data"
        return f"takes ({got}), the core passes ({exp})"
    return None


@KLP305.check
def shadow_ctor_signature(m: model.PatchModule) -> Iterable[Finding]:
    if not m.patches:
        return
    seen = set()
    for name, what, call, caller in callback_refs(m):
        fn = m.functions.get(name)
        if fn is None or (name, what) in seen:
            continue
        seen.add((name, what))
        why = ctor_problem(fn, what)
        if why:
            i = 4 if what == "ctor" else (2 if call.callee_name == "klp_shadow_free" else 1)
            loc = call.args[i].loc if i < len(call.args) else call.loc
            yield Finding(KLP305.id, KLP305.level, f"shadow {what} '{name}' {why}", loc, (), caller)
