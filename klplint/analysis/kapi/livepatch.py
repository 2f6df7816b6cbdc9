"""Models of the livepatch API: enable/register (klp_mutex), shadow variables, system states."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.events import PrevStateContext, ShadowExists, ShadowFree
from klplint.analysis.kapi.common import alloc, int_arg, ret, unknown
from klplint.analysis.kapi.gfp import CALLBACK_ROLES
from klplint.analysis.kapi.registry import model
from klplint.analysis.state import State
from klplint.analysis.values import (
    ZERO,
    Global,
    HeapRegion,
    Int,
    KlpStateRegion,
    Local,
    ObjRegion,
    Origin,
    OriginKind,
    PrevStateRegion,
    Ptr,
    ShadowObj,
    StaticLocal,
    Sym,
    Value,
    fn_name,
    heap_id,
)

# ------------------------------------------------------------------ the livepatch API

REGISTERED = "registered"     # state flag: module_init registered the scenario's patch

def _patch_of(cx: CallCtx, v: Optional[Value]):
    """The model.Patch a `&patch` argument designates, or None."""
    if type(v) is not Ptr or v.path:
        return None
    region = v.region
    if isinstance(region, Global):
        name = region.name
    elif isinstance(region, (Local, StaticLocal)) and region.name in cx.ex.module.locals:
        name = region.name              # a klp_patch declared inside module_init (KLP115)
    else:
        return None
    for p in cx.ex.module.patches:
        if p.var == name:
            return p
    return None


def _core_call_deadlock(cx: CallCtx):
    return f"{cx.name}() takes klp_mutex, which the core holds while it runs hooks and callbacks"


def _request_module_deadlock(cx: CallCtx):
    if cx.name == "__request_module":
        wait = int_arg(cx, 0)
        if wait == 0:
            return None
    return (f"{cx.name}() waits for modprobe, and loading a module takes klp_mutex in "
            "klp_module_coming(), which the core holds while it runs hooks and callbacks")


@model("klp_enable_patch", sleeps=True, deadlock=_core_call_deadlock)
def _klp_enable_patch(cx):
    ctx = cx.ex.ctx
    if ctx is not None and ctx.in_hook:
        return unknown(cx)
    if ctx is not None and ctx.enable is not None:
        p = _patch_of(cx, cx.arg(0))
        if p is None and type(cx.arg(0)) is Ptr:
            return ret(cx, ZERO)          # another patch of this file
        if p is None or p is ctx.patch or p.var == ctx.patch.var:
            return ctx.enable(cx)
    return unknown(cx)


@model("klp_register_patch", sleeps=True, deadlock=_core_call_deadlock)
def _klp_register_patch(cx):
    ctx = cx.ex.ctx
    if ctx is not None and ctx.in_hook:
        return unknown(cx)
    s = cx.s
    if ctx is not None and ctx.enable is not None:
        p = _patch_of(cx, cx.arg(0))
        if (p is None and type(cx.arg(0)) is not Ptr) or (p is not None and p.var == ctx.patch.var):
            # module_init registered the scenario's patch: if it returns 0 without enabling it,
            # the administrator enables it through sysfs (the driver runs that enable then)
            s = s.with_flag(REGISTERED)
    return ret(cx, ZERO, s)


@model("klp_unregister_patch", "klp_disable_patch", sleeps=True, deadlock=_core_call_deadlock)
def _klp_unregister(cx):
    ctx = cx.ex.ctx
    if ctx is not None and ctx.in_hook:
        return unknown(cx)
    return ret(cx, ZERO)


@model("request_module", "__request_module", "request_module_nowait", sleeps=True,
       deadlock=lambda cx: None if cx.name == "request_module_nowait" else _request_module_deadlock(cx))
def _request_module(cx):
    v, s = cx.ex.fresh_sym(cx.s)
    return [(v, s)]


@model("klp_is_module")
def _klp_is_module(cx):
    v = cx.arg(0)
    if type(v) is Ptr and type(v.region) is ObjRegion:
        b = cx.ex.ctx.binding if cx.ex.ctx else None
        if b is not None and b.region == v.region:
            return ret(cx, Int(int(b.name is not None)))
    return unknown(cx)


def state_id(cx: CallCtx, i: int) -> Optional[int]:
    return int_arg(cx, i)


@model("klp_get_state")
def _klp_get_state(cx):
    p = _patch_of(cx, cx.arg(0))
    sid = state_id(cx, 1)
    if p is None or sid is None:
        return unknown(cx)
    table = p.states
    if table is None or sid not in p.state_ids():
        return ret(cx, Int(0, Origin(OriginKind.NO_STATE, sid)))
    for k, st in enumerate(table.walked):
        if st.id == sid:
            if table.var:
                return ret(cx, Ptr(Global(table.var), (k,)))
            return ret(cx, Ptr(KlpStateRegion(p.var, sid)))
    return unknown(cx)


@model("klp_get_prev_state")
def _klp_get_prev_state(cx):
    ctx = cx.ex.ctx
    sid = state_id(cx, 0)
    s = cx.s
    if ctx is not None and ctx.role not in CALLBACK_ROLES:
        s = cx.ex.event(s, cx.loc, PrevStateContext(ctx.role))
        return ret(cx, ZERO, s)
    b = ctx.binding if ctx is not None else None
    if b is not None and b.completed and ctx.patch is not None and ctx.patch.replace:
        # klp_complete_transition() of a .replace patch took the patches it replaced off the
        # core's list: no earlier patch is left for klp_get_prev_state() to find
        return ret(cx, ZERO, s.note(cx.loc, "klp_get_prev_state() returns NULL: the patches this "
                                            "cumulative patch replaced are gone"))
    if sid is None:
        return unknown(cx, s)
    # whether an earlier patch installed this state is fixed until then
    key = (PrevStateRegion(sid), ("#installed",))
    known = s.mem.get(key)
    if known is not None:
        return ret(cx, known, s)
    yes = Ptr(PrevStateRegion(sid))
    a = s.set_mem(key, yes).note(cx.loc, f"an earlier livepatch installed state {sid}").forked()
    b = s.set_mem(key, ZERO).note(cx.loc, f"no earlier livepatch installed state {sid}").forked()
    return [(yes, a), (ZERO, b)]


# shadow variables

def shadow_obj_key(v: Optional[Value]) -> Optional[ShadowObj]:
    """What a shadow variable of `v` is attached to: its address, its symbol, or its integer value
    (the integer's origin does not make it another object)."""
    if type(v) is Int:
        return Int(v.value)
    return v


def _run_callback(cx: CallCtx, fnv, args, s: State, atomic: bool, what: str):
    """Run a same-file function the kernel calls back (shadow ctor/dtor): [(ret, state)]."""
    name = fn_name(fnv) if fnv is not None else None
    fn = cx.ex.module.functions.get(name) if name else None
    if fn is None or fn.body is None:
        return [(ZERO, s)]
    ctx = cx.ex.ctx
    if atomic and ctx is not None:
        ctx.atomic += 1
    try:
        s = s.note(cx.loc, f"{cx.name}() runs {name}() {what}")
        res = cx.ex.call_function(fn, args, s, cx.fr.depth + 1, cx.loc)
    finally:
        if atomic and ctx is not None:
            ctx.atomic -= 1
    return [(v, x) for v, x, _ in res]


def _shadow_new(cx: CallCtx, s: State, okey, sid, existing_check: bool):
    out = []
    ctor = cx.arg(4)
    for v, x in alloc(cx, "shadow", zeroed=True, shadow=(okey, sid), s=s,
                      desc=f"shadow variable {sid if sid is not None else cx.arg_text(1)} of {cx.arg_text(0)}"):
        hid = heap_id(v)
        if hid is None:
            out.append((v, x))
            continue
        if okey is not None and sid is not None:
            x = x.set_shadow((okey, sid), hid)
        if ctor is not None and fn_name(ctor):
            for r, y in _run_callback(cx, ctor, (cx.arg(0) or ZERO, v, cx.arg(5) or ZERO), x, True,
                                      "with a spinlock held and interrupts off"):
                ts, fs = cx.ex.truth(r, y)
                for z in fs:
                    out.append((v, z))
                for z in ts:     # the ctor failed: the variable is freed, NULL returned
                    z = z.set_heap(hid, z.heap[hid]._replace(status="released", escaped=True))
                    if okey is not None and sid is not None:
                        z = z.set_shadow((okey, sid), None)
                    out.append((Int(0, Origin(OriginKind.ALLOC, cx.name, cx.loc)), z))
        else:
            out.append((v, x))
    return out


def _live_shadow(s: State, okey, sid):
    if okey is None or sid is None:
        return None
    hid = s.shadow.get((okey, sid))
    if hid is None:
        return None
    obj = s.heap.get(hid)
    return hid if obj is not None and obj.status == "live" else None


@model("klp_shadow_alloc", gfp=3)
def _shadow_alloc(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    s = cx.s
    hid = _live_shadow(s, okey, sid)
    if hid is not None:
        s = cx.ex.event(s, cx.loc, ShadowExists(s.heap[hid], sid, cx.arg_text(0)))
        return [(Int(0, Origin(OriginKind.ALLOC, cx.name, cx.loc)), s)]
    return _shadow_new(cx, s, okey, sid, True)


@model("klp_shadow_get_or_alloc", gfp=3)
def _shadow_get_or_alloc(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    hid = _live_shadow(cx.s, okey, sid)
    if hid is not None:
        return ret(cx, Ptr(HeapRegion(hid)))
    return _shadow_new(cx, cx.s, okey, sid, False)


@model("klp_shadow_get")
def _shadow_get(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    s = cx.s
    if okey is not None and sid is not None and (okey, sid) in s.shadow:
        hid = s.shadow[(okey, sid)]
        obj = s.heap.get(hid)
        if obj is not None and obj.status == "live":
            return ret(cx, Ptr(HeapRegion(hid)))
        if obj is not None and obj.status == "released" and not obj.escaped:
            return ret(cx, ZERO)
    # a variable this path did not attach (a replacement function may have, for some objects and
    # not others): present, or NULL, as the kernel's own users of klp_shadow_get() test it
    (v, found), = unknown(cx)
    absent = s.note(cx.loc, f"klp_shadow_get() returns NULL: {cx.arg_text(0)} has no shadow variable "
                            f"{cx.arg_text(1)}")
    return [(v, found.forked()), (Int(0, Origin(OriginKind.ALLOC, cx.name, cx.loc)), absent.forked())]


def _free_shadows(cx: CallCtx, s: State, hids, dtor, sid, label: str):
    states = [s]
    for hid in hids:
        nxt = []
        for x in states:
            obj = x.heap[hid]
            if dtor is not None and fn_name(dtor):
                okey = obj.shadow_of
                # the dtor gets the object back, unless it was only an integer
                objv: Value = okey if type(okey) is Ptr or type(okey) is Sym else ZERO
                for _, y in _run_callback(cx, dtor, (objv, Ptr(HeapRegion(hid))), x, True,
                                          "with a spinlock held and interrupts off"):
                    nxt.append(y)
            else:
                nxt.append(x)
        states = []
        for x in nxt:
            obj = x.heap[hid]
            ctx = cx.ex.ctx
            x = x.set_heap(hid, obj._replace(status="released", rel_loc=cx.loc,
                                             rel_what=(ctx.role if ctx else None, ctx.function if ctx else None)))
            states.append(x.note(cx.loc, f"{cx.name}() frees {label}"))
    return states


def _record_free(cx: CallCtx, s: State, sid) -> State:
    cx.ex.fact(cx.loc, ShadowFree(sid))
    return s


@model("klp_shadow_free")
def _shadow_free(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    s = _record_free(cx, cx.s, sid)
    dtor = cx.arg(2)
    hid = _live_shadow(s, okey, sid)
    if hid is not None:
        return [(ZERO, x) for x in _free_shadows(cx, s, [hid], dtor, sid, f"shadow variable {sid}")]
    if okey is not None and type(okey) is not Ptr:
        # an object klplint cannot name: any shadow of this id may be the one freed
        for (k, i), h in list(s.shadow.items()):
            if i == sid and type(k) is not Ptr:
                obj = s.heap.get(h)
                if obj is not None and obj.status == "live":
                    s = s.set_heap(h, obj._replace(escaped=True))
    if dtor is not None and fn_name(dtor):
        data, s = cx.ex.fresh_sym(s)
        return [(ZERO, x) for _, x in _run_callback(cx, dtor, (cx.arg(0) or ZERO, data), s, True,
                                                     "with a spinlock held and interrupts off")]
    return ret(cx, ZERO, s)


@model("klp_shadow_free_all")
def _shadow_free_all(cx):
    sid = state_id(cx, 0)
    s = _record_free(cx, cx.s, sid)
    dtor = cx.arg(1)
    if sid is None:
        for h, obj in list(s.heap.items()):
            if obj.kind == "shadow" and obj.status == "live":
                s = s.set_heap(h, obj._replace(escaped=True))
        return ret(cx, ZERO, s)
    hids = sorted(h for (k, i), h in s.shadow.items() if i == sid and s.heap[h].status == "live")
    if hids:
        return [(ZERO, x) for x in _free_shadows(cx, s, hids, dtor, sid, f"every shadow variable {sid}")]
    if dtor is not None and fn_name(dtor):
        sym1, s = cx.ex.fresh_sym(s)
        sym2, s = cx.ex.fresh_sym(s)
        return [(ZERO, x) for _, x in _run_callback(cx, dtor, (sym1, sym2), s, True,
                                                     "with a spinlock held and interrupts off")]
    return ret(cx, ZERO, s)
