"""Models of string and memory calls (memcpy, strcpy, memset...)."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.kapi.common import int_arg, ret, unknown
from klplint.analysis.kapi.registry import model
from klplint.analysis.values import (
    HAVOC,
    ONE,
    WRITABLE,
    ZERO,
    Int,
    Ptr,
    RegionKind,
    str_value,
)

# ------------------------------------------------------------------ strings and memory

def _str_cmp(cx: CallCtx, n: Optional[int] = None):
    a, b = str_value(cx.arg(0) or ZERO), str_value(cx.arg(1) or ZERO)
    if a is not None and b is not None:
        if n is not None:
            a, b = a[:n], b[:n]
        return ret(cx, Int((a > b) - (a < b)))
    return unknown(cx)


@model("strcmp", derefs=(0, 1))
def _strcmp(cx):
    return _str_cmp(cx)


@model("strncmp", derefs=(0, 1))
def _strncmp(cx):
    return _str_cmp(cx, int_arg(cx, 2))


@model("sysfs_streq", derefs=(0, 1))
def _streq(cx):
    a, b = str_value(cx.arg(0) or ZERO), str_value(cx.arg(1) or ZERO)
    if a is not None and b is not None:
        return ret(cx, Int(int(a.rstrip("\n") == b.rstrip("\n"))))
    return unknown(cx)


@model("memset", "__builtin_memset", derefs=(0,))
def _memset(cx):
    v = cx.arg(0)
    s = cx.s
    if type(v) is Ptr and v.region.kind in WRITABLE:
        zero = int_arg(cx, 1) == 0
        s = cx.ex.clear_region(s, v.region, v.path, havoc=not zero, zero=zero)
        if zero and v.region.kind in (RegionKind.GLOBAL, RegionKind.STATIC_LOCAL):
            s = cx.ex.clear_region(s, v.region, v.path, havoc=False, zero=False)
            s = s.set_mem((v.region, v.path + (HAVOC,)), ONE)   # zeroed statics read as unknown (safe)
    return ret(cx, v or ZERO, s)


@model("memcpy", "memmove", "__builtin_memcpy", "strcpy", "strncpy", "strscpy", "strlcpy", "strcat",
       "strncat", "strlcat", "sprintf", derefs=(0, 1))
def _copy(cx):
    s = cx.s
    dst = cx.arg(0)
    if len(cx.args) > 1:
        s = cx.ex.escape(s, cx.args[1])      # whatever was copied may now live somewhere else
    if type(dst) is Ptr and dst.region.kind in WRITABLE:
        s = cx.ex.clear_region(s, dst.region, dst.path, havoc=True)
    v, s = cx.ex.fresh_sym(s)
    return [(v, s)]
