"""Models of error pointers (ERR_PTR, IS_ERR, PTR_ERR...)."""
from __future__ import annotations

from klplint.analysis.kapi.common import ret, unknown
from klplint.analysis.kapi.gfp import EINVAL
from klplint.analysis.kapi.registry import model
from klplint.analysis.values import ONE, ZERO, Int, Origin, OriginKind, Ptr

# ------------------------------------------------------------------ errors as pointers

@model("IS_ERR")
def _is_err(cx):
    v = cx.arg(0)
    if v is None:
        return unknown(cx)
    if type(v) is Int:
        return ret(cx, Int(int(v.is_errptr or v.value < 0)))
    if type(v) is Ptr:
        return ret(cx, ZERO)
    return unknown(cx)


@model("IS_ERR_OR_NULL")
def _is_err_or_null(cx):
    v = cx.arg(0)
    if v is None:
        return unknown(cx)
    if type(v) is Int:
        return ret(cx, Int(int(v.value == 0 or v.value < 0 or v.is_errptr)))
    if type(v) is Ptr:
        return ret(cx, ZERO)
    s = cx.s
    t = s.constrain(v.id, eq=0)
    f = s.constrain(v.id, ne=0)
    out = []
    if t is not None:
        out.append((ONE, t.forked() if f is not None else t))
    if f is not None:
        g, f = cx.ex.fresh_sym(f)
        out.append((g, f.forked() if t is not None else f))
    return out


@model("PTR_ERR", "PTR_ERR_OR_ZERO")
def _ptr_err(cx):
    v = cx.arg(0)
    if type(v) is Int:
        return ret(cx, Int(v.value))
    if type(v) is Ptr:
        return ret(cx, ZERO if cx.name == "PTR_ERR_OR_ZERO" else Int(-EINVAL))
    return unknown(cx)


@model("ERR_PTR")
def _err_ptr(cx):
    v = cx.arg(0)
    if type(v) is Int:
        return ret(cx, Int(v.value, Origin(OriginKind.ERRPTR, "ERR_PTR", cx.loc)) if v.value else ZERO)
    return unknown(cx)


@model("ERR_CAST")
def _err_cast(cx):
    return ret(cx, cx.arg(0) or ZERO)
