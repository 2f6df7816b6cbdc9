"""KLP4xx: system states (klp_state, klp_get_state, klp_get_prev_state) and cumulative patches."""
from __future__ import annotations

from typing import Iterable

from klplint import ir
from klplint.analysis.events import Event, EventKind
from klplint.analysis.results import Analysis
from klplint.analysis.statics import const_id
from klplint.findings import Finding, PathStep
from klplint.ir.util import strip, walk
from klplint.patch import model
from klplint.patch.roles import UNPATCH_SIDE
from klplint.rules.lifecycle import finding, in_fn, role_text
from klplint.rules.registry import rule

# ------------------------------------------------------------------ rule documentation

KLP401 = rule(
    id="KLP401", name="state-not-declared", api="C", level="warning",
    summary="`klp_get_state(patch, id)` or `klp_get_prev_state(id)` with an id not in `patch->states`.",
    why="""`klp_get_state()` only finds states declared in the patch's `states` array, and the core checks
state compatibility of cumulative patches through that array. With an undeclared id `klp_get_state()`
always returns NULL (the code behind it never runs), and `klp_get_prev_state()` looks for a state this
patch does not claim to maintain, so the core never checks its version.""",
    bad="""static struct klp_state states[] = { { .id = LOGLEVEL_STATE, .version = 1 }, { } };
	st = klp_get_state(&patch, LOGLEVEL_STAT);	/* typo: not in states */""",
    good="""	st = klp_get_state(&patch, LOGLEVEL_STATE);""",
    fix="Declare the state in `patch.states` (with its version) or use the id that is declared.")

KLP402 = rule(
    id="KLP402", name="state-id-zero", api="C", level="error",
    summary="A klp_state with id 0 before the end of the array: it ends the array early.",
    why="""The core walks `patch->states` until an entry with `id == 0`. A state declared with id 0 (or an
empty entry) in the middle is taken for the terminator: the states after it are never declared, so
`klp_get_state()` cannot find them and the compatibility check of cumulative patches ignores them.""",
    bad="""static struct klp_state states[] = {
	{ .id = 0, .version = 1 },		/* ends the array */
	{ .id = LOGLEVEL_STATE, .version = 1 },
	{ }
};""",
    good="""static struct klp_state states[] = {
	{ .id = LOGLEVEL_STATE, .version = 1 },
	{ }
};""",
    fix="Give every state a non-zero id; keep `{ }` only as the last entry.",
    precision="very-high")

KLP403 = rule(
    id="KLP403", name="prev-state-outside-transition", api="C", level="warning",
    summary="`klp_get_prev_state` called outside pre_patch/post_patch/pre_unpatch/post_unpatch (it is only "
            "valid during a transition).",
    why="""`klp_get_prev_state()` looks for the state in the patches installed before the patch in
transition: outside a transition there is none, so it warns (`WARN_ON_ONCE(!klp_transition_patch)`) and
returns NULL. Called from module_init/module_exit, a replacement function or a work item, it never finds
the predecessor's state.""",
    bad="""static int lp_init(void)
{
	if (klp_get_prev_state(LOGLEVEL_STATE))		/* no transition yet */
		take_over = true;
	return klp_enable_patch(&patch);
}""",
    good="""static int pre_patch_cb(struct klp_object *obj)
{
	if (klp_get_prev_state(LOGLEVEL_STATE))
		take_over = true;
	return 0;
}""",
    fix="Call it from one of the four callbacks (which run during the transition) and keep what it tells in "
        "the patch's own klp_state.")

KLP404 = rule(
    id="KLP404", name="replace-drops-cleanup", api="C", level="note",
    summary="A `.replace` patch whose predecessor's cleanup lives only in its own unpatch callbacks, which a "
            "replaced patch never runs, with no state taking the cleanup over.",
    why="""When a cumulative patch (`.replace = true`) replaces this one, the core unpatches this patch
without running any of its callbacks: its pre_unpatch/post_unpatch never run. Whatever this patch set up
and only releases there stays behind, unless the next patch takes it over through a `klp_state` (and
`klp_get_prev_state()`), or module_exit releases it when the replaced module is removed.""",
    bad="""static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, .replace = true };
static void post_unpatch_cb(struct klp_object *obj)
{
	kfree(cache);		/* never runs once a newer cumulative patch replaces this one */
}""",
    good="""static struct klp_state states[] = { { .id = CACHE_STATE, .version = 1 }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, .states = states, .replace = true };""",
    fix="Declare a klp_state for what the callbacks maintain so the next cumulative patch takes it over, or "
        "release it in module_exit as well.",
    precision="medium")


# ------------------------------------------------------------------ KLP401, KLP402 (structural)

def _patch_var(e) -> str:
    e = strip(e)
    if isinstance(e, ir.Unary) and e.op == "&":
        e = strip(e.operand)
    return e.name if isinstance(e, ir.Name) else ""


@KLP401.check
def state_not_declared(m: model.PatchModule) -> Iterable[Finding]:
    if not m.patches:
        return
    patches = {p.var: p for p in m.patches}
    declared = set()
    for p in m.patches:
        declared |= p.state_ids()
    for f in m.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if not isinstance(n, ir.Call):
                continue
            if n.callee_name == "klp_get_state" and len(n.args) >= 2:
                p = patches.get(_patch_var(n.args[0]))
                sid = const_id(m, n.args[1])
                if p is not None and sid is not None and sid not in p.state_ids():
                    yield Finding(KLP401.id, KLP401.level,
                                  f"klp_get_state(&{p.var}, {sid}): '{p.var}' declares no state with id {sid} "
                                  "(it always returns NULL)", n.loc, (), f.name)
            elif n.callee_name == "klp_get_prev_state" and n.args:
                sid = const_id(m, n.args[0])
                if sid is not None and sid not in declared:
                    yield Finding(KLP401.id, KLP401.level,
                                  f"klp_get_prev_state({sid}): no patch of this module declares state id {sid} "
                                  "in its states array", n.loc, (), f.name)


@KLP402.check
def state_id_zero(m: model.PatchModule) -> Iterable[Finding]:
    for p in m.patches:
        t = p.states
        if t is None or t.walk_end is None:
            continue
        later = [s for s in t.entries[t.walk_end + 1:] if not s.is_zero]
        if later:
            stop = t.entries[t.walk_end]
            yield Finding(KLP402.id, KLP402.level,
                          f"state #{t.walk_end + 1} of '{t.var or p.var}' has id 0: the core takes it for the end of "
                          f"the array and ignores the {len(later)} state(s) after it", stop.loc, (), t.var)


# ------------------------------------------------------------------ KLP403

@KLP403.on(EventKind.PREV_STATE_CONTEXT)
def prev_state_context(ev: Event, a: Analysis) -> Iterable[Finding]:
    yield finding(KLP403, ev.loc, f"klp_get_prev_state() called from {role_text(ev.role)} {in_fn(ev)}, outside "
                                  "a transition: it warns and returns NULL", ev, "no transition in progress")


@KLP403.after
def prev_state_outside(a: Analysis) -> Iterable[Finding]:
    """Calls in code the core does not run during a transition (replacement functions, work items)."""
    m = a.module
    for name in sorted(a.statics.outside):
        f = m.functions.get(name)
        if f is None or f.body is None:
            continue
        for n in walk(f.body):
            if isinstance(n, ir.Call) and n.callee_name == "klp_get_prev_state":
                yield Finding(KLP403.id, KLP403.level,
                              f"klp_get_prev_state() in {name}(), which runs outside the livepatch callbacks "
                              "(not during a transition): it warns and returns NULL", n.loc, (), name)


# ------------------------------------------------------------------ KLP404

@KLP404.after(reads=(EventKind.LEAK,))
def replace_drops_cleanup(a: Analysis) -> Iterable[Finding]:
    m = a.module
    for p in m.patches:
        if not p.replace or p.state_ids():
            continue
        dropped = []
        for ev in a.of_kind(EventKind.LEAK):
            if not ev.payload.replaced:
                continue
            obj = ev.payload.heap or ev.payload.res
            roles = a.released_by.get(obj.site, set())
            if roles & set(UNPATCH_SIDE):
                dropped.append((ev, obj))
        if not dropped:
            continue
        ev, obj = dropped[0]
        names = ", ".join(sorted({f"{o.name or o.desc} (line {o.site.line})" for _, o in dropped}))
        yield Finding(KLP404.id, KLP404.level,
                      f"'{p.var}' is a cumulative (.replace) patch without klp_state: when a later cumulative patch "
                      f"replaces it, its unpatch callbacks do not run and {names} is never released (only its "
                      "unpatch callbacks release it)", p.loc,
                      ev.trace + (PathStep(obj.site, "taken here; released only by an unpatch callback"),),
                      p.var, (), ev.scenario)
