"""Helpers every family of kernel-call models uses: dereference checks, unknown results, returns."""
from __future__ import annotations

from typing import List, Optional, Tuple

from klplint import ir
from klplint.analysis.callctx import CallCtx
from klplint.analysis.events import (
    DoubleRelease,
    NullDeref,
    Reacquire,
    ReleaseUnacquired,
    TargetUninit,
    UseAfterRelease,
)
from klplint.analysis.kapi.gfp import ENOMEM
from klplint.analysis.state import State
from klplint.analysis.values import (
    FreedSym,
    Heap,
    HeapRegion,
    Int,
    Origin,
    OriginKind,
    Ptr,
    Res,
    ResKey,
    ShadowObj,
    Sym,
    SymRegion,
    Value,
    freed_record,
    heap_id,
)
from klplint.ir.util import walk

# ------------------------------------------------------------------ helpers

def check_deref(cx: CallCtx, s: State, v: Value, i: int, null_ok: bool = False) -> Tuple[State, bool]:
    """The callee reads through argument i as the code would with `*` or `->`: NULL from an
    allocation or from obj (unless `null_ok`: the callee tests for NULL), released memory, the
    target module's data before its init. False when the path ends there (a NULL dereference)."""
    ex = cx.ex
    if type(v) is Int and v.origin is not None and (v.value == 0 or v.is_errptr):
        if null_ok and not v.is_errptr:
            return s, True
        s = ex.event(s, cx.loc, NullDeref(v.origin, f"{cx.name}({cx.arg_text(i)})"))
        return s, False
    hid = heap_id(v) if type(v) is not Sym else freed_record(s.flags, v.id)
    if hid is not None:
        obj = s.heap.get(hid)
        if obj is not None and obj.status == "released":
            s = ex.event(s, cx.loc, UseAfterRelease(obj, f"{cx.name}({cx.arg_text(i)})"))
        return s, True
    ctx = ex.ctx
    if ctx is not None and ctx.target_syms:
        sym = v.id if type(v) is Sym else v.region.sym if type(v) is Ptr and type(v.region) is SymRegion \
            else None
        if sym is not None and sym in ctx.target_syms:
            s = ex.event(s, cx.loc, TargetUninit(ctx.target_syms[sym], f"{cx.name}({cx.arg_text(i)})"))
    return s, True


def unknown(cx: CallCtx, s: Optional[State] = None, escape=()):
    s = s if s is not None else cx.s
    for i in escape:
        v = cx.arg(i)
        if v is not None:
            s = cx.ex.escape(s, v)
    v, s = cx.ex.fresh_sym(s)
    return [(v, s)]


def ret(cx: CallCtx, value: Value, s: Optional[State] = None) -> List[Tuple[Value, State]]:
    return [(value, s if s is not None else cx.s)]


def int_arg(cx: CallCtx, i: int) -> Optional[int]:
    v = cx.arg(i)
    if type(v) is Int:
        return v.value
    if type(v) is Sym:
        return cx.s.sym_value(v.id)
    return None


def _role_text(cx: CallCtx) -> str:
    ctx = cx.ex.ctx
    if ctx is None:
        return ""
    return ctx.desc or ctx.role or ""


def alloc(cx: CallCtx, kind: str = "heap", zeroed: bool = False, fail: Optional[str] = "null",
          path: Optional[str] = None, shadow: Optional[Tuple[Optional[ShadowObj], Optional[int]]] = None,
          desc: Optional[str] = None, s: Optional[State] = None) -> List[Tuple[Value, State]]:
    """A new object: one path where it exists, one where the call failed (NULL or ERR_PTR).
    `path`: the name the kernel knows it by (a /proc entry, a file); `shadow`: (object, id) of a
    shadow variable."""
    ex = cx.ex
    s = s if s is not None else cx.s
    ctx = ex.ctx
    hid, s1 = s.fresh()
    shadow_of, shadow_id = shadow if shadow is not None else (None, None)
    obj = Heap(kind, cx.name, cx.loc, desc or f"{cx.name}()", None, "live", False, zeroed, None, None,
               ctx.role if ctx else None, ctx.function if ctx else None, hid,
               path=path, shadow_of=shadow_of, shadow_id=shadow_id)
    ok = s1.set_heap(hid, obj).note(cx.loc, f"{cx.name}() succeeds")
    out: List[Tuple[Value, State]] = [(Ptr(HeapRegion(hid)), ok)]
    if fail == "null":
        bad = s1.note(cx.loc, f"{cx.name}() may return NULL")
        out.append((Int(0, Origin(OriginKind.ALLOC, cx.name, cx.loc)), bad))
    elif fail == "errptr":
        bad = s1.note(cx.loc, f"{cx.name}() may fail with an error pointer")
        out.append((Int(-ENOMEM, Origin(OriginKind.ERRPTR, cx.name, cx.loc)), bad))
    if len(out) > 1:
        out = [(v, x.forked()) for v, x in out]
    return out


def release(cx: CallCtx, v: Optional[Value], kinds: Tuple[str, ...] = ("heap",), harm_if_null: Optional[str] = None,
            s: Optional[State] = None, verb: str = "frees") -> State:
    """Release the object v points to. NULL is fine unless harm_if_null says what goes wrong."""
    ex = cx.ex
    s = s if s is not None else cx.s
    if v is None:
        return s
    if type(v) is Int:
        if v.value == 0 or v.is_errptr:
            if harm_if_null:
                if v.origin is not None and v.origin.kind in (OriginKind.ALLOC, OriginKind.ERRPTR):
                    ex.crash(ex.event(s, cx.loc, NullDeref(v.origin, f"{cx.name}({cx.arg_text(0)})")))
                    return s.with_flag("incomplete")
                if not _unsure(cx, 0):
                    return ex.event(s, cx.loc, ReleaseUnacquired(cx.name, cx.arg_text(0),
                                    harm=harm_if_null, res_kind=kinds[0]))
        return s
    if type(v) is Sym:
        hid = freed_record(s.flags, v.id)
        if hid is None:
            if kinds != ("heap",) or _unsure(cx, 0):
                return s
            return _free_unknown(cx, s, v, verb)
    else:
        hid = heap_id(v)
    if hid is None:
        return s
    obj = s.heap.get(hid)
    if obj is None:
        return s
    if obj.status == "released":
        return ex.event(s, cx.loc, DoubleRelease(cx.name, cx.arg_text(0), heap=obj))
    if obj.status != "live":
        return s
    ctx = ex.ctx
    s = s.set_heap(hid, obj._replace(status="released", rel_loc=cx.loc,
                                     rel_what=(ctx.role if ctx else None, ctx.function if ctx else None)))
    # what was created inside it (sysfs files of a kobject...) goes with it
    region = HeapRegion(hid)
    dep = [k for k, r in s.res.items() if r.status == "held" and type(k.target) is Ptr
           and k.target.region == region]
    for k in dep:
        s = s.set_res(k, s.res[k]._replace(status="released", rel_loc=cx.loc))
    name = obj.name or cx.arg_text(0)
    return s.note(cx.loc, f"{verb} {name}")


def _free_unknown(cx: CallCtx, s: State, v: Sym, verb: str) -> State:
    """Free through a pointer klplint did not see allocated (a list entry, a field of an unknown
    object): a released heap record stands for what it points to, tied to the value by a FreedSym
    flag, so that the same value used again is a use after free (list_for_each_entry() stepping
    through the entry its body freed) and freed again a double free."""
    hid, s = s.fresh()
    ctx = cx.ex.ctx
    role, fn = (ctx.role, ctx.function) if ctx else (None, None)
    text = cx.arg_text(0)
    obj = Heap("heap", cx.name, cx.loc, f"what {text} points to", text, "released", False, False, cx.loc,
               (role, fn), role, fn, hid)
    return s.set_heap(hid, obj).with_flag(FreedSym(v.id, hid)).note(cx.loc, f"{verb} {text}")


def _args_text(cx: CallCtx) -> str:
    return ", ".join(cx.arg_text(i) for i in range(len(cx.call.args)))


def _unsure(cx: CallCtx, i: int = 0) -> bool:
    """Does an argument name a global that code klplint does not run (replacement functions,
    module parameters...) may set? Then its history is unknown: no finding."""
    names = set()
    for e in cx.call.args:
        names |= {n.name for n in walk(e) if isinstance(n, ir.Name) and n.kind in ("var", "static_local")}
    return bool(names & cx.ex.unsure_globals)


def res_key(kind: str, v: Optional[Value]) -> Optional[ResKey]:
    """The key of a resource of `kind` taken on v: an address or an unknown pointer (not an integer)."""
    if type(v) is Ptr or type(v) is Sym:
        return ResKey(kind, v)
    return None


def acquire(cx: CallCtx, kind: str, v: Optional[Value], desc: str, idempotent: bool = False, counted: bool = False,
            s: Optional[State] = None) -> State:
    ex = cx.ex
    s = s if s is not None else cx.s
    key = res_key(kind, v)
    if key is None:
        return s
    r = s.res.get(key)
    ctx = ex.ctx
    if r is not None and r.status == "escaped":
        return s
    if r is not None and r.status == "held":
        if counted:
            return s.set_res(key, r._replace(holds=r.holds + 1))
        if idempotent:
            return s
        s = ex.event(s, cx.loc, Reacquire(r, cx.name, desc))
        return s
    acq, s = s.fresh()
    r = Res(kind, key, "held", 1, cx.loc, desc, ctx.role if ctx else None, ctx.function if ctx else None,
            acq)
    return s.set_res(key, r).note(cx.loc, f"{cx.name}() takes {desc}")


def release_key(cx: CallCtx, kind: str, v: Optional[Value], desc: str, harm: Optional[str] = None,
                s: Optional[State] = None, counted: bool = False) -> State:
    ex = cx.ex
    s = s if s is not None else cx.s
    key = res_key(kind, v)
    if key is None:
        return s
    r = s.res.get(key)
    if r is not None and r.status == "escaped":
        return s
    if r is None:
        if harm and not _unsure(cx, 0) and type(v) is not Sym:
            s = ex.event(s, cx.loc, ReleaseUnacquired(cx.name, _args_text(cx), desc=desc,
                         harm=harm, res_kind=kind))
        return s
    if r.status == "released":
        if harm and not _unsure(cx, 0):
            s = ex.event(s, cx.loc, DoubleRelease(cx.name, _args_text(cx), res=r, harm=harm))
        return s
    ctx = ex.ctx
    if counted and r.holds > 1:
        return s.set_res(key, r._replace(holds=r.holds - 1))
    s = s.set_res(key, r._replace(status="released", holds=0, rel_loc=cx.loc,
                                  rel_what=(ctx.role if ctx else None, ctx.function if ctx else None)))
    return s.note(cx.loc, f"{cx.name}() releases {desc}")
