"""Executor calls: same-file functions inlined, kernel calls through kapi models, unknown calls."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from klplint import ir
from klplint.analysis import falloff
from klplint.analysis.callctx import CallCtx
from klplint.analysis.context import Frame
from klplint.analysis.outcome import GOTO, RETURN
from klplint.analysis.parts import ExecutorParts
from klplint.analysis.state import State
from klplint.analysis.values import ZERO, Key, Local, Sym, Value, fn_name


class Calls(ExecutorParts):
    """Calls (a part of Executor)."""

    # ================================================== calls
    def ev_call(self, e: ir.Call, s: State, fr: Frame):
        callee = e.callee
        while isinstance(callee, ir.Cast):
            callee = callee.operand
        if isinstance(callee, ir.Unary) and callee.op == "*":
            callee = callee.operand
        name = None
        callees: List[Tuple[Optional[Value], State]]
        if isinstance(callee, ir.Name) and callee.kind in ("func", "unknown") \
                and (callee.kind == "func" or callee.name not in fr.types):
            name = callee.name
            callees = [(None, s)]
        else:
            callees = [(v, x) for v, x in self.ev(callee, s, fr)]
        out = []
        for cv, s0 in callees:
            target = name if cv is None else fn_name(cv)
            arg_states: List[Tuple[Tuple[Value, ...], State]] = [((), s0)]
            for a in e.args:
                nxt = []
                for vals, x in arg_states:
                    for v, x2 in self.ev(a, x, fr):
                        nxt.append((vals + (v,), x2))
                arg_states = nxt
            for vals, x in arg_states:
                out += self.invoke(target, vals, e, x, fr)
        return out

    def invoke(self, name: Optional[str], vals: Tuple, e: ir.Call, s: State, fr: Frame):
        fn = self.module.functions.get(name) if name else None
        if fn is not None and fn.body is not None:
            if fr.depth - self.base_depth >= self.budgets.call_depth:
                s = self.incomplete(s, e.loc, f"calls nested deeper than {self.budgets.call_depth} "
                                              f"(at {name}())", taint=False)
                return self.unknown_call(name, vals, e, s)
            results = self.call_function(fn, vals, s, fr.depth + 1, e.loc)
            if self.ctx is not None and self.ctx.in_hook and fn.type.target is not None \
                    and fn.type.target.kind != "void":
                # a helper that fell off its end: its garbage result matters only if the hook uses it
                out = [(v, falloff.mark(x, v.id, fn) if st is None and type(v) is Sym
                        and "incomplete" not in x.flags else x) for v, x, st in results]
                if results and all(st is not None for _, _, st in results) \
                        and falloff.GHOST not in s.flags and "incomplete" not in s.flags:
                    end = falloff.shape_end(self, fn)
                    if end is not None:
                        out.append(falloff.ghost(self, results[0][1], fn, end))
                return out
            return [(v, x) for v, x, _ in results]
        model = self.kapi(name) if name else None
        if model is None and name and name.endswith("_noprof"):
            # 6.10+ memory allocation profiling: kzalloc() is alloc_hooks(kzalloc_noprof(...))
            name = name[:-len("_noprof")]
            model = self.kapi(name)
        if model is not None and name is not None:
            return model(CallCtx(self, name, e, vals, s, fr))
        return self.unknown_call(name, vals, e, s)

    base_depth = 0

    def unknown_call(self, name, vals, e, s: State):
        """A call klplint does not see: unknown result, pointer arguments escape, no finding."""
        for v in vals:
            s = self.escape(s, v)
        r, s = self.fresh_sym(s)
        return [(r, s)]

    def call_function(self, fn: ir.FunctionDecl, args: Tuple, s: State, depth: int,
                      loc: Optional[ir.Location] = None) -> List[Tuple]:
        """Run fn's body with `args` bound to its parameters; (value, state, Return stmt or None)."""
        fr = Frame(depth, fn, self.types_of(fn))
        ups: Dict[Key, Value] = {}
        for i, p in enumerate(fn.params):
            if i < len(args):
                ups[(Local(depth, p.name), ())] = args[i]
        s = self._pop_frames(s, depth)
        if ups:
            s = s.update_mem(ups)
        results = []
        void = fn.type.target is not None and fn.type.target.kind == "void"
        assert fn.body is not None, "only functions with a body are run"
        for k, x, pl in self.exec_block(fn.body.body, 0, s, fr, fn.body):
            if k is RETURN:
                v, st = pl
                results.append((v if v is not None else ZERO, x, st))
            elif k is GOTO:
                x = self.incomplete(x, fn.loc, f"goto {pl} into a nested block")
                v, x = self.fresh_sym(x)
                results.append((v, x, None))
            else:
                if void:
                    results.append((ZERO, x, None))
                else:
                    v, x = self.fresh_sym(x)
                    results.append((v, x, None))
        return [(v, self._pop_frames(x, depth), st) for v, x, st in results]

    def _pop_frames(self, s: State, depth: int) -> State:
        dels = [k for k in s.mem if type(k[0]) is Local and k[0].depth >= depth]
        if not dels:
            return s
        return s.update_mem({}, dels)
