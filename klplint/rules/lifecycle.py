"""KLP2xx: hook and callback behaviour over the lifecycle, from the events of the engine (klplint/analysis)."""
from __future__ import annotations

from typing import Iterable, Optional

from klplint import ir
from klplint.analysis.events import Event, EventKind
from klplint.analysis.results import Analysis
from klplint.analysis.values import STATE_NAMES
from klplint.findings import Finding, PathStep
from klplint.patch.roles import UNPATCH_SIDE
from klplint.rules.registry import rule

# ------------------------------------------------------------------ rule documentation

KLP201 = rule(
    id="KLP201", name="null-module-deref", api="B", level="error",
    summary="A dereference of `obj->mod` (or `obj->name`) on a path where it is NULL: the object is vmlinux, "
            "or the hook is shared with a vmlinux object, without an `obj->name`/`obj->mod`/`klp_is_module()` "
            "guard.",
    why="""The core passes the vmlinux object with `obj->name == NULL` and `obj->mod == NULL`: only module
objects have a `struct module`. A hook or callback attached to vmlinux, or one function shared by a
vmlinux object and a module object, that reads `obj->mod->name` or `obj->mod->state` (or passes
`obj->name` to `strcmp()`) dereferences NULL when the core calls it for vmlinux: an oops while the
core holds `klp_mutex`, at `insmod` or `echo 0 > .../enabled` time.""",
    bad="""static void post_patch_cb(struct klp_object *obj)
{
	pr_info("%s patched\\n", obj->mod->name);	/* vmlinux: obj->mod is NULL */
}""",
    good="""static void post_patch_cb(struct klp_object *obj)
{
	if (obj->mod)
		pr_info("%s patched\\n", obj->mod->name);
	else
		pr_info("vmlinux patched\\n");
}""",
    fix="Test `obj->mod` (or `obj->name`, or `klp_is_module(obj)`) before using the module, or give vmlinux "
        "its own callback.")

KLP202 = rule(
    id="KLP202", name="impossible-module-state", api="B", level="warning",
    summary="A test of `obj->mod->state` against a state the hook can never see in its role (patch side: only "
            "LIVE or COMING; unpatch side: only LIVE or GOING; never UNFORMED): a dead branch.",
    why="""The core runs patch-side hooks and callbacks for a module that is LIVE (already loaded) or COMING
(loading now, before its init), and unpatch-side ones for a module that is LIVE (the patch is being
disabled) or GOING (unloading, after its exit). A patch-side test for GOING, an unpatch-side test for
COMING, or any test for UNFORMED is never true (or always false): the code under it never runs, and the
case it was meant for is handled somewhere else or not at all.""",
    bad="""static int pre_patch_cb(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_GOING)	/* never, before patching */
		return -EBUSY;
	return 0;
}""",
    good="""static int pre_patch_cb(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_COMING)	/* loading after the patch */
		return 0;
	return setup_live_module(obj);
}""",
    fix="Test for the states the role can see (patch side: LIVE, COMING; unpatch side: LIVE, GOING), or move "
        "the code to the callback of the other side.")

KLP203 = rule(
    id="KLP203", name="hook-error-does-not-abort", api="H", level="warning",
    summary="A patch hook that returns non-zero after partial work, as if the error stopped patching: the core "
            "only logs it and goes on, so the patch is live with half-applied state.",
    why="""In the hooks API the core calls every patch hook of an object and only logs a non-zero return
as a warning: patching continues and the next hooks run. A hook that takes a resource, fails on the next
step and returns the error without undoing the first step leaves the patch enabled on top of half its
setup, and the unpatch hooks later run against state they did not expect.""",
    bad="""static int setup_hook(struct klp_object *obj)
{
	cache = kzalloc(sizeof(*cache), GFP_KERNEL);
	if (!cache)
		return -ENOMEM;
	if (register_module_notifier(&nb))
		return -EINVAL;		/* cache stays, patching goes on */
	return 0;
}""",
    good="""static int setup_hook(struct klp_object *obj)
{
	cache = kzalloc(sizeof(*cache), GFP_KERNEL);
	if (!cache)
		return -ENOMEM;
	if (register_module_notifier(&nb)) {
		kfree(cache);
		cache = NULL;
		return -EINVAL;
	}
	return 0;
}""",
    fix="Undo the hook's own work before returning an error (the patch goes live anyway), and make the "
        "replacement code cope with the setup missing.")

KLP204 = rule(
    id="KLP204", name="lifecycle-leak", api="B", level="warning",
    summary="A resource taken on the patch side (allocation, registration, shadow variable, reference, lock, "
            "kthread...) still held at the end of some lifecycle scenario (after disable, or after the target "
            "module unloads), or taken again on re-enable while still held.",
    why="""Callbacks run on more paths than the happy one: a target module can load and unload several
times while the patch is enabled (its patch-side callbacks run at every COMING), a stalled transition is
reversed without `pre_unpatch`, a hooks-era patch can be disabled and enabled again (a module_init that
only registers it leaves that to the administrator, through `/sys/kernel/livepatch/<patch>/enabled`).
`klp_enable_patch()` itself can fail, and module_exit never runs after a module_init that failed:
whatever module_init set up before the enable must be undone on its error path. A resource whose
release lives on a path the core does not take in that scenario (or that is released nowhere) outlives
the livepatch module: leaked memory, a notifier or kprobe pointing into freed module text, a lock held
forever, a kobject whose name makes the next load fail.""",
    bad="""static void post_patch_cb(struct klp_object *obj)
{
	stats = kzalloc(sizeof(*stats), GFP_KERNEL);	/* every COMING, never freed */
}""",
    good="""static void post_patch_cb(struct klp_object *obj)
{
	if (!stats)
		stats = kzalloc(sizeof(*stats), GFP_KERNEL);
}
static void post_unpatch_cb(struct klp_object *obj)
{
	kfree(stats);
	stats = NULL;
}""",
    fix="Release on the unpatch path that runs in every scenario (post_unpatch pairs with pre_patch, "
        "pre_unpatch with post_patch), or in module_exit; make the patch side idempotent.")

KLP205 = rule(
    id="KLP205", name="lifecycle-double-release", api="B", level="error",
    summary="A resource released twice across callbacks in some scenario (e.g. freed by the unpatch side without "
            "clearing the pointer, then freed again after re-enable or a second module unload).",
    why="""Unpatch-side callbacks run once per unpatch event: at disable, and at every unload of a target
module while the patch is enabled. A pointer freed there but not cleared is freed again the next time
(another unload, module_exit, a re-enable cycle): a double free, or a double unregister that corrupts a
list.""",
    bad="""static void post_unpatch_cb(struct klp_object *obj)
{
	kfree(cache);		/* cache still points to the freed object */
}
static void lp_exit(void)
{
	kfree(cache);
}""",
    good="""static void post_unpatch_cb(struct klp_object *obj)
{
	kfree(cache);
	cache = NULL;
}""",
    fix="Clear the pointer (or a 'registered' flag) right after releasing, and release in one place.")

KLP206 = rule(
    id="KLP206", name="release-without-acquire", api="B", level="warning",
    summary="An unpatch-side callback releasing what its patch-side partner may not have taken in some scenario "
            "(e.g. post_unpatch stops a thread post_patch starts, but post_patch is skipped when a transition "
            "is reversed).",
    why="""The core does not pair callbacks the way they are written: `post_patch` does not run when the
transition is reversed or stalls while a module loads, `pre_unpatch` is skipped during a transition,
`post_unpatch` runs for every object whose `pre_patch` succeeded. Releasing in one callback what another
callback took assumes both run: `kthread_stop(NULL)`, `destroy_workqueue(NULL)`, `misc_deregister()` of a
device never registered or `module_put()` without a reference crash or warn. A timer or work item in a
static is all zero until `timer_setup()`/`INIT_WORK()` runs: cancelling or flushing one the skipped
callback never set up trips debug objects and `WARN_ON(!work->func)`.""",
    bad="""static void post_patch_cb(struct klp_object *obj)
{
	worker = kthread_run(worker_fn, NULL, "lp-worker");
}
static void post_unpatch_cb(struct klp_object *obj)
{
	kthread_stop(worker);	/* NULL if the transition was reversed */
}""",
    good="""static void pre_unpatch_cb(struct klp_object *obj)
{
	if (!IS_ERR_OR_NULL(worker))
		kthread_stop(worker);
	worker = NULL;
}""",
    fix="Release in the partner the core pairs with the acquiring callback (post_patch <-> pre_unpatch, "
        "pre_patch <-> post_unpatch), or test that the resource was taken.")

KLP207 = rule(
    id="KLP207", name="use-after-release", api="B", level="error",
    summary="A pointer or resource used by a callback after another callback released it in an earlier step of "
            "the scenario.",
    why="""State kept in globals survives from one callback to the next. When an unpatch-side callback
frees an object and a later step (a target module loading again, module_exit, a re-enable) uses the
stale pointer, it reads or writes freed memory.""",
    bad="""static void pre_unpatch_cb(struct klp_object *obj)
{
	kfree(ctx);
}
static void post_unpatch_cb(struct klp_object *obj)
{
	ctx->active = false;	/* freed by pre_unpatch */
}""",
    good="""static void post_unpatch_cb(struct klp_object *obj)
{
	ctx->active = false;
	kfree(ctx);
	ctx = NULL;
}""",
    fix="Free last, in the callback that runs last, and clear the pointer.")

KLP208 = rule(
    id="KLP208", name="core-call-deadlock", api="B", level="error",
    summary="A hook or callback (or a function it calls) that calls `klp_enable_patch`, `klp_disable_patch`, "
            "`klp_register_patch`, `klp_unregister_patch`, `request_module`, or writes the livepatch sysfs: "
            "`klp_mutex` is already held.",
    why="""The core runs every hook and callback with `klp_mutex` held. The livepatch API functions take
`klp_mutex` themselves; `request_module()` waits for modprobe, whose module load calls
`klp_module_coming()`, which takes `klp_mutex`; a write to `/sys/kernel/livepatch/.../enabled` takes it
too. The callback waits for itself: the task hangs forever with the mutex held, and every later
livepatch operation hangs behind it.""",
    bad="""static void post_patch_cb(struct klp_object *obj)
{
	request_module("nf_conntrack");		/* modprobe -> klp_module_coming() -> klp_mutex */
}""",
    good="""static void load_helper(struct work_struct *work)
{
	request_module("nf_conntrack");
}
static DECLARE_WORK(load_work, load_helper);
static void post_patch_cb(struct klp_object *obj)
{
	schedule_work(&load_work);	/* runs after the core drops klp_mutex */
}""",
    fix="Defer the call to a work item (and flush it in module_exit), or do it from module_init before "
        "klp_enable_patch().")

KLP209 = rule(
    id="KLP209", name="hook-missing-return", api="B", level="error",
    summary="An int-returning hook or pre_patch that can reach its end without returning a value.",
    why="""The core reads the return value of a hook or `pre_patch`: falling off the end returns whatever is
in the return register. A `pre_patch` may then refuse patching (the module load fails at random), or a
hook report a bogus error. The same holds for a same-file helper the hook calls, when the hook returns or
tests the helper's result (a helper whose result is ignored is not reported: C leaves it undefined only
once it is used).

The end counts as reachable by the shape of the code, as the compiler's `-Wreturn-type` judges it (an
error in kernel builds): only constant conditions (`for (;;)`, `do ... while (0)`) and calls that never
return (`BUG()`, `panic()`) stop control. A `switch` over `obj->mod->state` whose every case returns but
that has no `default` is reported even though the core only ever passes the states it handles: C lets
control run past it, and the fix is one line.""",
    bad="""static int pre_patch_cb(struct klp_object *obj)
{
	if (!obj->mod)
		return 0;
	setup(obj->mod);
}""",
    good="""static int pre_patch_cb(struct klp_object *obj)
{
	if (!obj->mod)
		return 0;
	setup(obj->mod);
	return 0;
}""",
    fix="Return a value on every path.")

KLP210 = rule(
    id="KLP210", name="pre-patch-failure-leak", api="C", level="warning",
    summary="A pre_patch that returns an error after taking a resource it does not release: post_unpatch will not "
            "run for that object.",
    why="""The core runs `post_unpatch` only for objects whose `pre_patch` succeeded. When `pre_patch`
fails, enabling fails (or the loading target module is refused) and nothing else of the object runs: what
`pre_patch` took before failing is never released, unless `pre_patch` releases it itself or module_exit
does.""",
    bad="""static int pre_patch_cb(struct klp_object *obj)
{
	quirk = kzalloc(sizeof(*quirk), GFP_KERNEL);
	if (!quirk)
		return -ENOMEM;
	if (!quirk_supported())
		return -ENODEV;		/* quirk leaks: post_unpatch will not run */
	return 0;
}""",
    good="""	if (!quirk_supported()) {
		kfree(quirk);
		quirk = NULL;
		return -ENODEV;
	}""",
    fix="Release what pre_patch took on each of its error paths (goto-based unwinding), or free it in "
        "module_exit.")

KLP211 = rule(
    id="KLP211", name="unchecked-allocation", api="B", level="warning",
    summary="A hook or callback using the result of an allocation (kmalloc family, klp_shadow_alloc/get_or_alloc, "
            "a kthread or other handle) or of klp_shadow_get() without checking it for NULL or an error pointer.",
    why="""Allocations fail, especially in the GFP_ATOMIC or GFP_NOWAIT contexts callbacks often use, and
`klp_shadow_alloc()` returns NULL when the variable already exists. `klp_shadow_get()` returns NULL for an
object no shadow variable of that id was attached to: replacement functions attach them to the objects
they happen to see, and an attach may have failed. A callback that dereferences the result unchecked
oopses while the core holds `klp_mutex`.""",
    bad="""static void post_patch_cb(struct klp_object *obj)
{
	struct stats *st = kzalloc(sizeof(*st), GFP_KERNEL);
	st->enabled = true;
}""",
    good="""static void post_patch_cb(struct klp_object *obj)
{
	struct stats *st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return;
	st->enabled = true;
}""",
    fix="Check the result (`if (!p)`, `IS_ERR(p)`) before using it.")

KLP212 = rule(
    id="KLP212", name="target-not-initialized", api="B", level="warning",
    summary="A patch-side hook for a module target that relies on the target's `module_init` having run: for a "
            "module loaded later, hooks run in COMING, before `module_init`.",
    why="""When the target module loads after the patch, the core runs the object's patch hooks,
`pre_patch` and `post_patch` while the module is COMING: before its init function has run. Data the
target's init sets up (pointers it allocates, tables it registers) is still in its initial state, so a
hook that dereferences it crashes or works on nothing. The same holds whether the hook names the
target's global as an `extern` (a klp relocation) or reaches it through its address looked up at run
time (`kallsyms_lookup_name()`, klp-ccp's and kpatch's `klpe_` pointers).""",
    bad="""extern struct nf_table *nf_table;	/* set by the target's init */
static void post_patch_cb(struct klp_object *obj)
{
	nf_table->flags |= NF_LIVEPATCHED;
}""",
    good="""static void post_patch_cb(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_COMING)
		return;		/* the patched init sets the flag itself */
	nf_table->flags |= NF_LIVEPATCHED;
}""",
    fix="Skip the work when `obj->mod->state == MODULE_STATE_COMING` and do it from the patched code (or the "
        "target's patched init) instead.")

KLP213 = rule(
    id="KLP213", name="analysis-incomplete", api="B", level="note",
    summary="The executor hit a budget or an unsupported construct in a hook, or a scenario has no feasible "
            "path after module_init: no verdict for that hook or scenario.",
    why="""klplint explores the paths of every hook and callback over every lifecycle scenario within
budgets that count work: live paths, loop unrolling, call depth, statements per hook run, statements
and paths per scenario and per file, scenarios (and, as a last resort only, seconds per file). When a
budget is hit, or the front end met a construct it cannot lower, the paths beyond that point are not
checked: the absence of findings there is not a proof. The same holds when no path of module_init leads
into the rest of a scenario: module_init never enables (or registers) the patch in code klplint can see,
for instance through a helper of another file, or it fails on every path; then no hook or callback ran,
and klplint says so instead of reporting a clean module.""",
    bad="""static int pre_patch_cb(struct klp_object *obj)
{
	/* dozens of independent branches: more paths than the budget */
	if (a()) x |= 1;
	if (b()) x |= 2;
	/* ... */
	return 0;
}""",
    good="""static int pre_patch_cb(struct klp_object *obj)
{
	x = compute_flags();	/* one call instead of many branches */
	return 0;
}""",
    fix="Simplify the hook (move logic into helpers with fewer paths), or raise the budgets in "
        "`[tool.klplint.budgets]`.",
    precision="n/a")


# ------------------------------------------------------------------ helpers

def finding(r, loc: ir.Location, message: str, ev: Optional[Event] = None, last: Optional[str] = None,
            function: Optional[str] = None, path=None) -> Finding:
    steps = tuple(path if path is not None else (ev.trace if ev is not None else ()))
    if last:
        steps = steps + (PathStep(loc, last, "statement"),)
    return Finding(r.id, r.level, message, loc, steps, function or (ev.function if ev else None), (),
                   ev.scenario if ev is not None else None)


def role_text(role: Optional[str]) -> str:
    return {"lp_init": "module_init", "lp_exit": "module_exit", "patch_hook": "patch hook",
            "unpatch_hook": "unpatch hook", "ctor": "shadow ctor", "dtor": "shadow dtor"}.get(role or "", role or "")


def in_fn(ev: Event) -> str:
    return f"{ev.function}()" if ev.function else "the hook"


def what_of(heap=None, res=None) -> str:
    if heap is not None:
        return heap.name or heap.desc
    if res is not None:
        return res.desc
    return "a resource"


def taken_by(obj) -> str:
    role = role_text(obj.acq_role)
    fn = f"{obj.acq_fn}()" if obj.acq_fn else "?"
    return f"{fn}, {role}" if role else fn


# ------------------------------------------------------------------ KLP201 / KLP211: NULL dereferences

@KLP201.on(EventKind.NULL_DEREF)
def null_module_deref(ev: Event, a: Analysis) -> Iterable[Finding]:
    origin, what = ev.payload.origin, ev.payload.what
    if not origin:
        return
    if origin[0] == "objmod":
        yield finding(KLP201, ev.loc, f"'{what}' dereferences obj->mod, which is NULL when the core calls "
                                      f"{in_fn(ev)} for {origin[1]}", ev, "obj->mod is NULL here")
    elif origin[0] == "objname":
        yield finding(KLP201, ev.loc, f"'{what}' dereferences obj->name, which is NULL when the core calls "
                                      f"{in_fn(ev)} for vmlinux", ev, "obj->name is NULL here")


@KLP211.on(EventKind.NULL_DEREF)
def unchecked_alloc_deref(ev: Event, a: Analysis) -> Iterable[Finding]:
    origin, what = ev.payload.origin, ev.payload.what
    if not origin:
        return
    if origin[0] in ("alloc", "errptr"):
        kind = "NULL" if origin[0] == "alloc" else "an error pointer"
        when = "when the object has no shadow variable of that id" if origin[1] == "klp_shadow_get" \
            else "when the allocation fails"
        yield finding(KLP211, ev.loc, f"'{what}' uses the result of {origin[1]}() (line {origin[2].line}) "
                                      f"without checking it: it is {kind} {when}", ev,
                      f"{origin[1]}() failed: {kind} used here")


# ------------------------------------------------------------------ KLP202

ALLOWED_STATES = {
    "patch_hook": {0, 1}, "pre_patch": {0, 1}, "post_patch": {0, 1},
    "unpatch_hook": {0, 2}, "pre_unpatch": {0, 2}, "post_unpatch": {0, 2},
}


@KLP202.after(reads=(EventKind.MODSTATE_COMPARE,))
def impossible_state(a: Analysis) -> Iterable[Finding]:
    by_loc = {}
    for ev in a.facts_of(EventKind.MODSTATE_COMPARE):
        by_loc.setdefault(ev.loc, []).append((ev.payload.const, ev.role, ev.function))
    for loc in sorted(by_loc):
        seen = by_loc[loc]
        if any(role not in ALLOWED_STATES for _, role, _ in seen):
            continue
        if all(const not in ALLOWED_STATES[role] for const, role, _ in seen):
            const, role, fn = seen[0]
            name = f"MODULE_STATE_{STATE_NAMES.get(const, str(const))}"
            roles = sorted({r for _, r, _ in seen})
            side = "patch side" if all(r in ("patch_hook", "pre_patch", "post_patch") for r in roles) else \
                "unpatch side" if all(r in UNPATCH_SIDE for r in roles) else "its roles"
            can = "LIVE or COMING" if side == "patch side" else "LIVE or GOING" if side == "unpatch side" \
                else "the states of its roles"
            yield Finding(KLP202.id, KLP202.level,
                          f"obj->mod->state is tested against {name}, which {fn}() never sees as "
                          f"{'/'.join(roles)} ({side}: {can} only): the test is dead", loc, (), fn)


# ------------------------------------------------------------------ KLP203, KLP204, KLP210: what stays held

@KLP203.on(EventKind.PARTIAL_ERROR_RETURN)
def partial_error(ev: Event, a: Analysis) -> Iterable[Finding]:
    taken = ev.payload.taken
    names = ", ".join(sorted({f"{what_of(heap=o) if hasattr(o, 'zeroed') else what_of(res=o)} "
                              f"(line {o.site.line})" for o in taken}))
    yield finding(KLP203, ev.loc, f"patch hook {in_fn(ev)} returns {ev.payload.ret or 'an error'} after taking "
                                  f"{names}: the core only logs a hook's error and patches anyway, so the patch "
                                  "goes live with this setup half done", ev,
                  "the hook fails here; patching continues")


def _leaked(ev: Event):
    """The object a leak event is about and how its hook failed, or None when the rules of leaks
    (KLP204, KLP210) do not report it: the replaced scenario (KLP404), shadow variables (KLP303), a
    patch hook that failed after taking it (KLP203)."""
    p = ev.payload
    if p.replaced:
        return None
    obj = p.heap if p.heap is not None else p.res
    if p.heap is not None and p.heap.kind == "shadow":
        return None
    failed = obj.failed if obj is not None else None
    if failed is not None and failed[0] == "patch_hook":
        return None
    return obj, failed


@KLP210.on(EventKind.LEAK)
def failed_pre_patch_leak(ev: Event, a: Analysis) -> Iterable[Finding]:
    leaked = _leaked(ev)
    if leaked is None:
        return
    obj, failed = leaked
    what = what_of(ev.payload.heap, ev.payload.res)
    if failed is not None and failed[0] == "pre_patch":
        role, ret_loc, ret_text, fn = failed
        yield finding(KLP210, ret_loc, f"pre_patch {fn}() returns {ret_text or 'an error'} without releasing "
                                       f"{what} (taken at line {obj.site.line}): post_unpatch does not run after a "
                                       "failed pre_patch, so nothing releases it", ev,
                      f"{what} is never released")


@KLP204.on(EventKind.LEAK)
def leak(ev: Event, a: Analysis) -> Iterable[Finding]:
    leaked = _leaked(ev)
    if leaked is None:
        return
    obj, failed = leaked
    if failed is not None and failed[0] == "pre_patch":
        return                          # KLP210
    p = ev.payload
    what = what_of(p.heap, p.res)
    if p.where == "return":
        fn = p.function or obj.acq_fn
        ret = p.ret_text
        if p.overwritten:
            again = "runs again and overwrites" if fn == obj.acq_fn else "overwrites"
            src = f"{obj.desc} in {taken_by(obj)}" if what != obj.desc else taken_by(obj)
            yield finding(KLP204, ev.loc, f"{what} ({src}) leaks: {fn}() {again} the "
                                          "only pointer to it while it is still allocated", ev,
                          f"{fn}() returns: the earlier {what} is unreachable")
        else:
            yield finding(KLP204, ev.loc, f"{what}{'' if what == obj.desc else f' ({obj.desc})'} leaks when {fn}() returns"
                                          f"{' ' + ret if ret else ''}: nothing points to it any more and it was "
                                          "not freed", ev, f"{fn}() returns: {what} is unreachable")
        return
    yield finding(KLP204, ev.loc, f"{what} taken here ({taken_by(obj)}) is still held when "
                                  f"{p.gone or 'the livepatch module is gone'} in scenario "
                                  f"'{ev.scenario}': nothing on that path releases it", ev, None,
                  obj.acq_fn)


@KLP204.on(EventKind.REACQUIRE)
def reacquire(ev: Event, a: Analysis) -> Iterable[Finding]:
    r = ev.payload.res
    yield finding(KLP204, ev.loc, f"{ev.payload.call}() takes {r.desc} again while it is still held (taken at "
                                  f"line {r.site.line} in {taken_by(r)}): it is registered twice", ev,
                  "taken a second time")


@KLP204.on(EventKind.LOCK_HELD)
def lock_held(ev: Event, a: Analysis) -> Iterable[Finding]:
    yield finding(KLP204, ev.loc, f"{in_fn(ev)} returns with the {ev.payload.lock_kind} {ev.payload.lock} "
                                  "still held (locked here)", ev, "locked here, not unlocked before returning")


# ------------------------------------------------------------------ KLP205, KLP206, KLP207

def _released_where(obj) -> str:
    if obj.rel_loc is None:
        return "earlier"
    role, fn = obj.rel_what if obj.rel_what else (None, None)
    by = f" by {fn}() ({role_text(role)})" if fn else ""
    return f"at line {obj.rel_loc.line}{by}"


@KLP205.on(EventKind.DOUBLE_RELEASE)
def double_release(ev: Event, a: Analysis) -> Iterable[Finding]:
    p = ev.payload
    obj = p.heap or p.res
    what = what_of(p.heap, p.res)
    yield finding(KLP205, ev.loc, f"{p.call}({p.what}) releases {what} a second time: "
                                  f"it was already released {_released_where(obj)}", ev, "released again")


@KLP206.on(EventKind.RELEASE_UNACQUIRED)
def release_unacquired(ev: Event, a: Analysis) -> Iterable[Finding]:
    p = ev.payload
    harm = p.harm
    if not harm:
        return
    effect = "crashes" if harm == "crash" else "triggers a kernel warning and corrupts its state"
    what = p.desc or p.what
    yield finding(KLP206, ev.loc, f"{p.call}({p.what}) in {role_text(ev.role)} "
                                  f"{in_fn(ev)} releases {what}, which was not taken on this path of scenario "
                                  f"'{ev.scenario}' (the callback that takes it did not run, or failed): this "
                                  f"{effect}", ev, "released without having been taken")


@KLP207.on(EventKind.USE_AFTER_RELEASE)
def use_after_release(ev: Event, a: Analysis) -> Iterable[Finding]:
    obj = ev.payload.heap
    yield finding(KLP207, ev.loc, f"'{ev.payload.what}' uses {what_of(heap=obj)} after it was freed "
                                  f"{_released_where(obj)}", ev, "used after release")


# ------------------------------------------------------------------ KLP208, KLP209, KLP212, KLP213

@KLP208.on(EventKind.DEADLOCK_CALL)
def deadlock(ev: Event, a: Analysis) -> Iterable[Finding]:
    yield finding(KLP208, ev.loc, f"{ev.payload.call}() called from {role_text(ev.role)} {in_fn(ev)}: "
                                  f"{ev.payload.why}: a deadlock", ev, "klp_mutex is already held here")


@KLP209.on(EventKind.MISSING_RETURN)
def missing_return(ev: Event, a: Analysis) -> Iterable[Finding]:
    end = ev.payload.end
    # by the shape of the code only: no scenario's values lead there, but C says control can
    how = f" (control can run on past line {end.line})" if end is not None else ""
    label = f"runs past line {end.line} into the closing brace" if end is not None \
        else "falls off the end of the function"
    if ev.payload.helper is not None:
        yield finding(KLP209, ev.loc, f"{ev.payload.helper}() can reach its end without returning a value{how}, "
                                      f"and {role_text(ev.payload.role)} {in_fn(ev)} uses its result: "
                                      "it reads garbage", ev, label)
        return
    yield finding(KLP209, ev.loc, f"{role_text(ev.payload.role)} {in_fn(ev)} can reach its end without "
                                  f"returning a value{how}: the core reads garbage as its result", ev, label)


@KLP212.on(EventKind.TARGET_UNINIT)
def target_uninit(ev: Event, a: Analysis) -> Iterable[Finding]:
    yield finding(KLP212, ev.loc, f"'{ev.payload.what}' reads through '{ev.payload.var}', the target "
                                  f"module's data, in {role_text(ev.role)} {in_fn(ev)}: for a module loaded after "
                                  "the patch this runs in COMING, before the module's init has set it up", ev,
                  "the target's init has not run yet")


# KLP213 also reports what the front end and the extractor could not model (their notes).
KLP213.produced_by("pipeline/analyze_file.py (the notes of the front end and the extractor)")


@KLP213.on(EventKind.INCOMPLETE)
def incomplete(ev: Event, a: Analysis) -> Iterable[Finding]:
    fn = a.module.functions.get(ev.function or "")
    loc = fn.loc if fn is not None else ev.loc
    where = f" of {in_fn(ev)}" if ev.function else ""
    at = f" at line {ev.loc.line}" if ev.loc != loc else ""
    yield Finding(KLP213.id, KLP213.level, f"no verdict for the paths{where} beyond this point: "
                                           f"{ev.payload.reason}{at}", loc, (), ev.function, (), ev.scenario)
