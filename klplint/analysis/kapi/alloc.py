"""Models of allocation and freeing (kmalloc family, vmalloc family, kfree...)."""
from __future__ import annotations

from klplint.analysis.callctx import CallCtx
from klplint.analysis.events import SleepAtomic
from klplint.analysis.kapi.common import alloc, release, ret
from klplint.analysis.kapi.gfp import ALLOCATORS, GFP_DIRECT_RECLAIM, gfp_name
from klplint.analysis.kapi.registry import MODELS, Model, model
from klplint.analysis.values import ZERO, Int, Ptr


def _gfp_sleeps(cx: CallCtx) -> bool:
    gi, _ = ALLOCATORS[cx.name]
    if gi is None:
        return True
    v = cx.arg(gi)
    return type(v) is Int and bool(v.value & GFP_DIRECT_RECLAIM)


GFP_NOFAIL = 0x8000


def _allocate(cx: CallCtx):
    gi, zeroed = ALLOCATORS[cx.name]
    g = cx.arg(gi) if gi is not None else None
    nofail = type(g) is Int and bool(g.value & GFP_NOFAIL)
    return alloc(cx, "heap", zeroed=zeroed, fail=None if nofail else "null")


# the allocators that read their first argument: a string or buffer copied, or the slab cache
_READ_FIRST = ("kstrdup", "kstrndup", "kmemdup", "kmemdup_nul", "kstrdup_const",
               "kmem_cache_alloc", "kmem_cache_zalloc", "kmem_cache_alloc_node")
for _n in ALLOCATORS:
    MODELS[_n] = Model((_n,), _allocate, sleeps=_gfp_sleeps, derefs=(0,) if _n in _READ_FIRST else ())


@model("krealloc", "krealloc_array", "kvrealloc", gfp=None)
def _krealloc(cx):
    old = cx.arg(0)
    gi = {"krealloc": 2, "krealloc_array": 3, "kvrealloc": 3}[cx.name]
    s = cx.s
    if cx.ex.ctx is not None and cx.ex.ctx.atomic:
        g = cx.arg(gi)
        if type(g) is Int and g.value & GFP_DIRECT_RECLAIM:
            s = cx.ex.event(s, cx.loc, SleepAtomic(f"{cx.name}() with {gfp_name(g.value)} may sleep",
                            cx.name))
    out = []
    for v, x in alloc(cx, "heap", s=s):
        if type(v) is Ptr:
            x = release(cx, old, s=x, verb="moves")
        out.append((v, x))
    return out


@model("kfree", "kvfree", "vfree", "kfree_sensitive", "kzfree", "kvfree_sensitive", "kfree_const",
       "free_percpu")
def _kfree(cx):
    return ret(cx, ZERO, release(cx, cx.arg(0)))


@model("kmem_cache_free", derefs=(0,))
def _kmem_cache_free(cx):
    return ret(cx, ZERO, release(cx, cx.arg(1)))


@model("kvfree_call_rcu", "kfree_call_rcu")
def _kvfree_call_rcu(cx):
    # What the kernel's kfree_rcu()/kvfree_rcu() macros expand into. The one-argument form passes
    # (NULL, p); the two-argument form passes (&p->field, p) since 6.3, but (&p->field, offset of
    # the field) before: the offset is no address, and the head inside p names p's object.
    second = cx.arg(1) if len(cx.args) > 1 else None
    target = second if type(second) is Ptr else cx.arg(0)
    return ret(cx, ZERO, release(cx, target))


@model("kfree_rcu", "kvfree_rcu", "kfree_rcu_mightsleep", "kvfree_rcu_mightsleep")
def _kfree_rcu(cx):
    # the bundled headers keep these as calls taking the object first
    return ret(cx, ZERO, release(cx, cx.arg(0)))


def _gfp_arg_sleeps(cx: CallCtx) -> bool:
    g = cx.arg(0) or ZERO
    return type(g) is Int and bool(g.value & GFP_DIRECT_RECLAIM)


@model("__get_free_pages", "get_zeroed_page", "__get_free_page", sleeps=_gfp_arg_sleeps)
def _get_pages(cx):
    return alloc(cx, "heap", zeroed=cx.name == "get_zeroed_page")


@model("free_pages", "free_page")
def _free_pages(cx):
    return ret(cx, ZERO, release(cx, cx.arg(0)))
