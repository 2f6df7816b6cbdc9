"""The registry of kernel-call models (`@model(...)`): what a call does to the abstract state."""
from __future__ import annotations

from typing import Dict, Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.events import DeadlockCall, SleepAtomic
from klplint.analysis.kapi.common import check_deref
from klplint.analysis.kapi.gfp import ALLOCATORS, GFP_DIRECT_RECLAIM, gfp_name
from klplint.analysis.values import Int


class Model:
    __slots__ = ("names", "fn", "sleeps", "gfp", "derefs", "reads", "deadlock")

    def __init__(self, names, fn, sleeps=False, gfp=None, derefs=(), deadlock=None, reads=()):
        self.names = names
        self.fn = fn
        self.sleeps = sleeps        # bool, or fn(cx) -> bool
        self.gfp = gfp              # index of a gfp_t argument
        self.derefs = derefs        # arguments the callee dereferences (NULL crashes)
        self.reads = reads          # arguments the callee reads through unless they are NULL
        self.deadlock = deadlock    # fn(cx) -> reason, or None: takes klp_mutex

    def __call__(self, cx: CallCtx):
        s = cx.s
        ex = cx.ex
        ctx = ex.ctx
        for i in self.derefs:
            v = cx.arg(i)
            if v is None:
                continue
            s, alive = check_deref(cx, s, v, i)
            if not alive:
                return ex.crash(s)
        for i in self.reads:
            v = cx.arg(i)
            if v is not None:
                s, _ = check_deref(cx, s, v, i, null_ok=True)
        if ctx is not None and ctx.atomic:
            why = None
            if self.sleeps is True or (callable(self.sleeps) and self.sleeps(cx)):
                why = f"{cx.name}() may sleep"
                gi = ALLOCATORS.get(cx.name, (None,))[0]
                g = cx.arg(gi) if gi is not None else None
                if type(g) is Int:
                    why = f"{cx.name}() with {gfp_name(g.value)} may sleep"
            elif self.gfp is not None:
                g = cx.arg(self.gfp)
                if type(g) is Int and g.value & GFP_DIRECT_RECLAIM:
                    why = f"{cx.name}() with {gfp_name(g.value)} may sleep"
            if why:
                s = ex.event(s, cx.loc, SleepAtomic(why, cx.name))
        if self.deadlock is not None and ctx is not None and ctx.in_hook:
            reason = self.deadlock(cx)
            if reason:
                s = ex.event(s, cx.loc, DeadlockCall(cx.name, reason))
        cx.s = s
        return self.fn(cx)


MODELS: Dict[str, Model] = {}


def model(*names, sleeps=False, gfp=None, derefs=(), deadlock=None, reads=()):
    """Register `fn` as the model of the kernel calls `names`. `derefs`: the arguments the callee
    dereferences, so that NULL, released memory or the target's data before its init count there
    as they would in a `->` of the code (KLP201, KLP207, KLP211, KLP212); `reads`: the same for
    arguments the callee first tests for NULL."""
    def deco(fn):
        m = Model(names, fn, sleeps, gfp, derefs, deadlock, reads)
        for n in names:
            MODELS[n] = m
        return fn
    return deco


def lookup(name: str) -> Optional[Model]:
    return MODELS.get(name)


def is_modelled(name: str) -> bool:
    return name in MODELS
