"""KLP216 over replacement functions: what they use must exist for as long as they can run, from the start of the patching transition to the end of the unpatching one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from klplint import ir
from klplint.analysis.kapi import lookup
from klplint.findings import Finding, PathStep
from klplint.ir.util import is_null, reachable, strip, walk
from klplint.patch import model
from klplint.rules.registry import rule

KLP216 = rule(
    id="KLP216", name="replacement-outside-setup", api="C", level="warning",
    summary="A replacement function uses a pointer that only post_patch sets up, or that pre_unpatch frees or "
            "clears, or arms a work item or timer only post_patch initialises or only pre_unpatch stops: the new "
            "function runs from the start of the patching transition to the end of the unpatching one.",
    why="""A task switches to the new functions as soon as the patching transition reaches it, at its own
pace: the first tasks run the replacement long before the transition completes, and `post_patch` runs only
after it has (never, when the transition is reversed). The same holds backwards: `pre_unpatch` runs before
the unpatching transition starts, and tasks that have not switched back keep running the replacement until
it completes. A pointer the replacement functions dereference must be set up before the transition starts,
in `pre_patch` (or in module_init, or by its initializer), and released after the unpatching transition, in
`post_unpatch` (or in module_exit). Set up in `post_patch`, the replacement dereferences NULL; freed in
`pre_unpatch`, it uses freed memory; cleared there, it dereferences NULL again. A replacement that tests the
pointer first copes with a late setup and a clearing (not with a free).

The same holds for a work item or timer the replacement queues or starts: initialised only in
`post_patch`, the first tasks queue an all-zero item (debug objects, `WARN_ON(!work->func)`); stopped only
in `pre_unpatch`, tasks not yet switched back queue it again, and it runs after the livepatch module is
gone. Stop it in `post_unpatch` or module_exit, once no task can queue it any more.""",
    bad="""static struct rtx_stats *rtx;

static void lp_tcp_retransmit_timer(struct sock *sk)
{
	atomic_long_inc(&rtx->retransmits);	/* NULL until post_patch */
	...
}

static void rtx_post_patch(struct klp_object *obj)
{
	rtx = kzalloc(sizeof(*rtx), GFP_KERNEL);
}

static void rtx_pre_unpatch(struct klp_object *obj)
{
	kfree(rtx);				/* still in use */
}""",
    good="""static int rtx_pre_patch(struct klp_object *obj)
{
	rtx = kzalloc(sizeof(*rtx), GFP_KERNEL);
	return rtx ? 0 : -ENOMEM;
}

static void rtx_post_unpatch(struct klp_object *obj)
{
	kfree(rtx);
	rtx = NULL;
}""",
    fix="Set up what replacement functions use in `pre_patch` and release it in `post_unpatch`; or have the "
        "replacement test the pointer (for a setup in `post_patch` or a clearing in `pre_unpatch`).",
    precision="medium")


# The phases in which a callback or module code runs, relative to the window of the replacement
# functions: EARLY before it opens (pre_patch, module_init), LATE after it opened (post_patch),
# CLOSING before it closes (pre_unpatch), AFTER once it closed (post_unpatch, module_exit).
EARLY, LATE, CLOSING, AFTER = "early", "late", "closing", "after"
_ROLE_PHASE = {"pre_patch": EARLY, "post_patch": LATE, "pre_unpatch": CLOSING, "post_unpatch": AFTER}

# Calls that free what their first argument points to (the kernel-call models release it too).
RELEASES = frozenset({"kfree", "kvfree", "vfree", "kfree_sensitive", "kzfree", "kvfree_sensitive",
                      "free_percpu", "destroy_workqueue", "kmem_cache_destroy", "vunmap", "iounmap"})


# Work items and timers a replacement function arms: the kernel calls that queue or start one (its
# address is an argument), those that stop one for good, and the types they are.
ARMS = frozenset({"schedule_work", "queue_work", "queue_work_on", "schedule_delayed_work", "queue_delayed_work",
                  "mod_delayed_work", "schedule_delayed_work_on", "queue_delayed_work_on", "mod_delayed_work_on",
                  "mod_timer", "add_timer", "add_timer_on", "timer_reduce"})
STOPS = frozenset({"cancel_work_sync", "cancel_delayed_work_sync", "flush_work", "flush_delayed_work",
                   "del_timer_sync", "timer_delete_sync", "timer_shutdown_sync"})
DEFERRED_TYPES = frozenset({"work_struct", "delayed_work", "timer_list"})


@dataclass(frozen=True)
class Use:
    """A dereference of the global pointer `var` in `function`, a replacement or a function it calls."""
    var: str
    function: str
    replacement: str            # the klp_func's new_func that reaches `function`
    loc: ir.Location
    tested: bool                # `function` tests `var` somewhere (a NULL check before the use)


@dataclass(frozen=True)
class Write:
    """`var` set up (a non-NULL value), cleared (NULL) or freed in `function`."""
    var: str
    function: str
    kind: str                   # "set" | "clear" | "free"
    loc: ir.Location


def pointer_name(e: Optional[ir.Expr]) -> Optional[str]:
    """The global variable `e` reads, seen through casts and READ_ONCE()'s `*(volatile T *)&x`."""
    e = strip(e)
    while isinstance(e, ir.Unary) and e.op == "*":
        inner = strip(e.operand)
        if not (isinstance(inner, ir.Unary) and inner.op == "&"):
            return None
        e = strip(inner.operand)
    if isinstance(e, ir.Name) and e.kind == "var":
        return e.name
    return None


def _deref_base(n) -> Optional[ir.Expr]:
    """The pointer expression a node dereferences: `p->f`, `*p`, `p[i]`."""
    if isinstance(n, ir.Member) and n.arrow:
        return n.base
    if isinstance(n, ir.Unary) and n.op == "*":
        inner = strip(n.operand)
        if isinstance(inner, ir.Unary) and inner.op == "&":
            return None             # READ_ONCE()'s *&x reads x itself
        return n.operand
    if isinstance(n, ir.Index):
        return n.base
    return None


def _tested(fn: ir.FunctionDecl) -> FrozenSet[str]:
    """Globals `fn` tests: named in a condition (if, loops, ?:, !, &&, ||, comparisons)."""
    out: Set[str] = set()
    conds: List = []
    for n in walk(fn.body):
        if isinstance(n, (ir.If, ir.While, ir.DoWhile, ir.Cond)):
            conds.append(n.cond)
        elif isinstance(n, ir.For) and n.cond is not None:
            conds.append(n.cond)
        elif isinstance(n, ir.Unary) and n.op == "!":
            conds.append(n.operand)
        elif isinstance(n, ir.Binary) and n.op in ("&&", "||", "==", "!="):
            conds += [n.lhs, n.rhs]
    for c in conds:
        for m in walk(c):
            if isinstance(m, ir.Name) and m.kind == "var":
                out.add(m.name)
    return frozenset(out)


def _pointer_globals(module: model.PatchModule) -> Dict[str, ir.VarDecl]:
    """File-scope pointers defined in the file with no non-NULL initializer: set up by code."""
    return {name: v for name, v in module.variables.items()
            if v.storage != "extern" and v.type.kind == "ptr" and (v.init is None or is_null(v.init))}


def _has_callbacks(module: model.PatchModule) -> bool:
    """Any object with callbacks (the hooks API brackets the functions' registration itself)."""
    return any(o.callbacks is not None for p in module.patches for o in p.objects)


def window_code(module: model.PatchModule) -> Iterator[Tuple[str, ir.FunctionDecl]]:
    """(replacement, function) for each function with a body that a klp_func's new_func reaches,
    itself included: the code that runs in the window."""
    for p in module.patches:
        for o in p.objects:
            for kf in (o.funcs.walked if o.funcs else ()):
                new = kf.new_func.name if kf.new_func else None
                if not new:
                    continue
                for name in sorted(reachable(module.functions, [new])):
                    fn = module.functions[name]
                    if fn.body is not None:
                        yield new, fn


def uses(module: model.PatchModule, pointers: Dict[str, ir.VarDecl]) -> List[Use]:
    out: List[Use] = []
    seen: Set[Tuple[str, str]] = set()
    for new, fn in window_code(module):
        tested = _tested(fn)
        for n in walk(fn.body):
            var = used_pointer(n, module)
            if var in pointers and (var, fn.name) not in seen:
                seen.add((var, fn.name))
                out.append(Use(var, fn.name, new, n.loc, var in tested))
    return out


def used_pointer(n, module: model.PatchModule) -> Optional[str]:
    """The global pointer node `n` dereferences, directly or as an argument a kernel-call model
    declares it dereferences (`queue_work(wq, ...)`, `mutex_lock(&p->lock)` is a `->` already)."""
    base = _deref_base(n)
    if base is not None:
        return pointer_name(base)
    if isinstance(n, ir.Call) and n.callee_name and n.callee_name not in module.functions:
        m = lookup(n.callee_name)
        if m is not None:
            for i in m.derefs:
                if i < len(n.args):
                    var = pointer_name(n.args[i])
                    if var is not None:
                        return var
    return None


def writes(module: model.PatchModule, pointers: Dict[str, ir.VarDecl]) -> Tuple[List[Write], Set[str]]:
    """Every write of the pointers, and the pointers whose address escapes (set by code unseen)."""
    out: List[Write] = []
    escaped: Set[str] = set()
    for fn in module.functions.values():
        if fn.body is None:
            continue
        for n in walk(fn.body):
            if isinstance(n, ir.Assign):
                var = pointer_name(n.target)
                if var in pointers:
                    out.append(Write(var, fn.name, "clear" if n.op == "=" and is_null(n.value) else "set", n.loc))
            elif isinstance(n, ir.Call):
                callee = n.callee_name
                for i, a in enumerate(n.args):
                    a = strip(a)
                    if isinstance(a, ir.Unary) and a.op == "&" and pointer_name(a.operand) in pointers:
                        escaped.add(pointer_name(a.operand) or "")
                    elif i == 0 and callee in RELEASES and pointer_name(a) in pointers:
                        out.append(Write(pointer_name(a) or "", fn.name, "free", n.loc))
    return out, escaped


def phases(module: model.PatchModule) -> Dict[str, Set[str]]:
    """The phases (EARLY, LATE, CLOSING, AFTER) each function may run in, from the callbacks and the
    module's init and exit that reach it."""
    roots: List[Tuple[str, str]] = []
    if module.init_func:
        roots.append((module.init_func, EARLY))
    if module.exit_func:
        roots.append((module.exit_func, AFTER))
    for p in module.patches:
        for o in p.objects:
            if o.callbacks is None:
                continue
            for role, ref in o.callbacks.items():
                if ref.name and role in _ROLE_PHASE:
                    roots.append((ref.name, _ROLE_PHASE[role]))
    out: Dict[str, Set[str]] = {}
    for root, phase in roots:
        for name in reachable(module.functions, [root]):
            out.setdefault(name, set()).add(phase)
    return out


@KLP216.check
def replacement_outside_setup(module: model.PatchModule) -> List[Finding]:
    """KLP216: a pointer a replacement function dereferences is set up only after the patching
    transition started (post_patch), or freed or cleared before the unpatching one ended (pre_unpatch)."""
    if not _has_callbacks(module):
        return []
    pointers = _pointer_globals(module)
    if not pointers:
        return []
    used = uses(module, pointers)
    if not used:
        return []
    ws, escaped = writes(module, pointers)
    ph = phases(module)
    replacement_code = {u.function for u in used}
    out: List[Finding] = []
    for u in used:
        if u.var in escaped:
            continue
        mine = [w for w in ws if w.var == u.var]
        sets = [w for w in mine if w.kind == "set"]
        # set up only by code that runs once the window is open (and by no unknown or replacement code)
        late = [w for w in sets if ph.get(w.function) == {LATE}]
        too_late = bool(sets) and len(late) == len(sets) and not u.tested
        closing = [w for w in mine if w.kind in ("free", "clear") and CLOSING in ph.get(w.function, ())
                   and w.function not in replacement_code and (w.kind == "free" or not u.tested)]
        if not too_late and not closing:
            continue
        steps: List[PathStep] = []
        why: List[str] = []
        if too_late:
            w = late[0]
            steps.append(PathStep(w.loc, f"'{u.var}' is set up here, in {w.function}(), which runs only "
                                         "after the patching transition", "statement"))
            why.append(f"it is set up only in post_patch ({w.function}()), and the new function runs as soon "
                       "as a task switches, before post_patch (never followed by it when the transition is "
                       "reversed)")
        if closing:
            w = closing[0]
            verb = "freed" if w.kind == "free" else "cleared"
            steps.append(PathStep(w.loc, f"'{u.var}' is {verb} here, in {w.function}(), before the unpatching "
                                         "transition", "statement"))
            why.append(f"pre_unpatch ({w.function}()) {'frees' if w.kind == 'free' else 'clears'} it while "
                       "tasks not yet switched back still run the new function")
        via = "" if u.function == u.replacement else f" (through {u.function}(), which {u.replacement}() calls)"
        where = ("set it up in pre_patch" if too_late else "") + \
                (" and " if too_late and closing else "") + ("release it in post_unpatch" if closing else "")
        out.append(Finding(
            "KLP216", "warning",
            f"replacement {u.replacement}(){via} dereferences '{u.var}', but " + "; and ".join(why) +
            f": {where}",
            u.loc, function=u.function, path=tuple(steps)))
    return out


def _root(e: Optional[ir.Expr]) -> Optional[str]:
    """The variable an lvalue is part of: `x`, `x.f`, and `(&x)->f` as the kernel's macros write it."""
    e = strip(e)
    while isinstance(e, ir.Member):
        base = strip(e.base)
        if e.arrow:
            if not (isinstance(base, ir.Unary) and base.op == "&"):
                return None
            base = strip(base.operand)
        e = base
    return e.name if isinstance(e, ir.Name) and e.kind == "var" else None


def _item_of(e: Optional[ir.Expr], items: Dict[str, ir.VarDecl]) -> Optional[str]:
    """The static work item or timer `&item` (or `&item.field`, `&(&item)->field`) names."""
    e = strip(e)
    if not (isinstance(e, ir.Unary) and e.op == "&"):
        return None
    name = _root(e.operand)
    return name if name in items else None


@KLP216.check
def replacement_arms_outside_setup(module: model.PatchModule) -> List[Finding]:
    """KLP216 for work items and timers: a replacement function queues or starts one that only post_patch
    initialises (a static is all zero before), or that nothing stops once the replacement functions no
    longer run (a cancel in pre_unpatch is followed by tasks still in the new function queueing it again:
    it then runs after the livepatch module is gone)."""
    if not _has_callbacks(module):
        return []
    items = {name: v for name, v in module.variables.items()
             if v.storage != "extern" and v.type.kind == "struct" and v.type.name in DEFERRED_TYPES}
    if not items:
        return []
    arms: List[Tuple[str, str, str, ir.Location]] = []     # (item, function, replacement, where)
    seen: Set[Tuple[str, str]] = set()
    for new, fn in window_code(module):
        for n in walk(fn.body):
            if isinstance(n, ir.Call) and n.callee_name in ARMS:
                item = next((i for i in (_item_of(a, items) for a in n.args) if i), None)
                if item and (item, fn.name) not in seen:
                    seen.add((item, fn.name))
                    arms.append((item, fn.name, new, n.loc))
    if not arms:
        return []
    replacement_code = {a[1] for a in arms}
    setups: Dict[str, List[Tuple[str, ir.Location]]] = {}
    stops: Dict[str, List[Tuple[str, ir.Location]]] = {}
    escaped: Set[str] = set()
    for fn in module.functions.values():
        if fn.body is None or fn.name in replacement_code:
            continue
        for n in walk(fn.body):
            if isinstance(n, ir.Call):
                for a in n.args:
                    item = _item_of(a, items)
                    if item is None:
                        continue
                    if n.callee_name in STOPS:
                        stops.setdefault(item, []).append((fn.name, n.loc))
                    elif not n.callee_name:
                        escaped.add(item)       # passed through a function pointer: anything may happen
                    elif n.callee_name not in ARMS:
                        # INIT_WORK(), timer_setup(), or code klplint does not know: sets it up
                        setups.setdefault(item, []).append((fn.name, n.loc))
            elif isinstance(n, ir.Assign):
                t = _root(n.target)
                if t in items:
                    setups.setdefault(t, []).append((fn.name, n.loc))     # INIT_WORK()'s expansion
    ph = phases(module)
    out: List[Finding] = []
    for item, name, new, loc in arms:
        if item in escaped:
            continue
        decl = items[item]
        set_from_start = decl.init is not None
        sets = setups.get(item, [])
        late = [x for x in sets if ph.get(x[0]) == {LATE}]
        too_late = not set_from_start and bool(sets) and len(late) == len(sets)
        st = stops.get(item, [])
        after = [x for x in st if ph.get(x[0], set()) & {AFTER}]
        early = [x for x in st if CLOSING in ph.get(x[0], set())]
        too_early = bool(early) and not after
        if not too_late and not too_early:
            continue
        why, steps = [], []
        if too_late:
            why.append(f"only post_patch ({late[0][0]}()) initialises it, and the new function runs as soon as "
                       "a task switches: it queues an all-zero item")
            steps.append(PathStep(late[0][1], f"'{item}' is initialised here, after the patching transition",
                                  "statement"))
        if too_early:
            why.append(f"only pre_unpatch ({early[0][0]}()) stops it, and tasks not yet switched back queue it "
                       "again: it runs after the livepatch module is gone")
            steps.append(PathStep(early[0][1], f"'{item}' is stopped here, before the unpatching transition",
                                  "statement"))
        via = "" if name == new else f" (through {name}(), which {new}() calls)"
        fix = ("initialise it in pre_patch (or with its initializer)" if too_late else "") + \
            (" and " if too_late and too_early else "") + ("stop it in post_unpatch or module_exit" if too_early else "")
        out.append(Finding("KLP216", "warning",
                           f"replacement {new}(){via} arms '{item}', but " + "; and ".join(why) + f": {fix}",
                           loc, function=name, path=tuple(sorted(steps, key=lambda x: x.loc.line))))
    return out

