"""The executor: runs IR function bodies over States, statement by statement, forking on branches."""
from __future__ import annotations

import contextlib
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from klplint import ir
from klplint.analysis.budget import Budget, Work
from klplint.analysis.calls import Calls
from klplint.analysis.context import Frame, StepCtx
from klplint.analysis.evaluate import Evaluate
from klplint.analysis import falloff
from klplint.analysis.events import Event, Incomplete, MissingReturn, make
from klplint.analysis.frontier import Frontier
from klplint.analysis.memory import Memory
from klplint.analysis.outcome import BREAK, CONTINUE, GOTO, NORMAL, RETURN, Outcome
from klplint.analysis.state import State, join, merge
from klplint.analysis.values import Global, Int, Local, Ptr, Region, Sym, Value
from klplint.ir.util import c_terms, const_int, strip, walk

# ------------------------------------------------------------------ the executor

LOOP_HARD_CAP = 64      # iterations of a loop whose condition stays decided (no fork)


class Executor(Memory, Evaluate, Calls):
    """Runs IR bodies over States. One executor per module analysis; `ctx` is set per step."""

    def __init__(self, module, budgets, kapi_lookup, deadline: Optional[float] = None,
                 unsure_globals: frozenset = frozenset(), work: Optional[Work] = None):
        self.module = module
        self.budgets = budgets
        self.kapi = kapi_lookup
        self.work = work if work is not None else Work(budgets, deadline)   # the file's work budget
        self.ctx: Optional[StepCtx] = None
        self.stmts = 0
        self._types: Dict[str, Dict[str, ir.Type]] = {}
        self._static_locals: Dict[Tuple[str, str], ir.VarDecl] = {}
        self._globals: Dict[str, Global] = {}     # the region of each global, made once
        self._literals: Dict[object, Value] = {}   # an integer or string literal -> its value, made once
        self._labels: Dict[int, Dict[str, int]] = {}
        self._cases: Dict[int, list] = {}
        self._cleanups: Dict[int, list] = {}
        self._assigned: Dict[int, Tuple] = {}
        self.side_events: List[Event] = []
        self.shape_ends: Dict[str, Optional[ir.Location]] = {}   # falloff.shape_end() of each function
        self.cut_noted: set = set()
        self.facts: List[Event] = []              # events about the code, whatever the path (events.FACT_KINDS)
        self.unsure_globals = unsure_globals      # globals other code may change between steps
        self.extern_vars = {n for n, v in module.variables.items() if v.storage == "extern"}
        for f in module.functions.values():
            if f.body is None:
                continue
            for n in _walk_decls(f.body):
                if n.storage == "static":
                    self._static_locals[(f.name, n.name)] = n
        self._ev_table = self.ev_table()
        self._stmt_table = self.stmt_table()
        self._addr_table = self.addr_table()

    @contextlib.contextmanager
    def in_step(self, ctx: Optional[StepCtx], depth: int, reset_stmts: bool = False):
        """Execute as step `ctx` whose calls start at `depth`; the previous step is back afterwards
        (and the statement count, when `reset_stmts` makes this step count its own from 0)."""
        saved = (self.ctx, self.base_depth, self.stmts)
        self.ctx, self.base_depth = ctx, depth
        if reset_stmts:
            self.stmts = 0
        try:
            yield
        finally:
            self.ctx, self.base_depth = saved[0], saved[1]
            if reset_stmts:
                self.stmts = saved[2]

    # ================================================== bookkeeping
    def types_of(self, fn: ir.FunctionDecl) -> Dict[str, ir.Type]:
        t = self._types.get(fn.name)
        if t is None:
            t = {p.name: p.type for p in fn.params}
            if fn.body is not None:
                for d in _walk_decls(fn.body):
                    t.setdefault(d.name, d.type)
            self._types[fn.name] = t
        return t

    def tick(self, s: State) -> State:
        self.stmts += 1
        if self.stmts > self.budgets.max_statements:
            raise Budget(f"more than {self.budgets.max_statements} statements executed")
        w = self.work
        w.statements += 1
        if w.statements > w.stop:
            w.over()            # a scenario's or the file's budget, or time to read the clock
        n = s.copy()
        n.nstmt = s.nstmt + 1
        return n

    def event(self, s: State, loc: ir.Location, payload) -> State:
        if "incomplete" in s.flags and type(payload) is not Incomplete:
            return s
        if falloff.GHOST in s.flags and type(payload) not in (MissingReturn, Incomplete):
            return s        # a ghost path only asks whether the hook uses a helper's missing result
        ctx = self.ctx
        ev = make(loc, payload, s.trace, s.nstmt, ctx.function if ctx else None, ctx.role if ctx else None)
        n = s.copy()
        n.events = s.events + (ev,)
        return n

    def fact(self, loc: ir.Location, payload) -> None:
        """Record a fact about the code (events.FACT_KINDS): kept whatever becomes of the path."""
        ctx = self.ctx
        self.facts.append(make(loc, payload, (), 0, ctx.function if ctx else None, ctx.role if ctx else None))

    def crash(self, s: State) -> list:
        """The path ends here (a NULL dereference, BUG()): what happened on it still counts."""
        self.side_events.extend(s.events)
        return []

    def incomplete(self, s: State, loc: ir.Location, reason: str, taint: bool = True) -> State:
        s = self.event(s, loc, Incomplete(reason))
        return s.with_flag("incomplete") if taint else s

    def fresh_sym(self, s: State) -> Tuple[Sym, State]:
        n, s = s.fresh()
        return Sym(n), s

    # ================================================== statements
    def stmt_table(self) -> Dict[type, Callable]:
        """The handler of each statement node class, bound to this executor (made once, in __init__):
        exec_stmt() dispatches on the node's class instead of testing it against each class in turn."""
        return {
            ir.Compound: self._exec_compound, ir.ExprStmt: self._exec_expr, ir.DeclStmt: self._exec_decls,
            ir.If: self._exec_if, ir.Return: self._exec_return, ir.While: self._exec_while,
            ir.DoWhile: self._exec_do_while, ir.For: self._exec_for, ir.Switch: self.exec_switch,
            ir.Case: self._exec_labelled, ir.Default: self._exec_labelled, ir.Label: self._exec_labelled,
            ir.Goto: self._exec_goto, ir.Break: self._exec_break, ir.Continue: self._exec_continue,
            ir.Empty: self._exec_empty, ir.UnsupportedStmt: self._exec_unsupported,
        }

    def exec_stmt(self, st: ir.Stmt, s: State, fr: Frame) -> List[Outcome]:
        s = self.tick(s)
        handler = self._stmt_table.get(type(st))
        if handler is None:
            return [(NORMAL, self.incomplete(s, st.loc, f"unsupported statement {type(st).__name__}"), None)]
        return handler(st, s, fr)

    def _exec_compound(self, st: ir.Compound, s: State, fr: Frame) -> List[Outcome]:
        return self.exec_block(st.body, 0, s, fr, st)

    def _exec_expr(self, st: ir.ExprStmt, s: State, fr: Frame) -> List[Outcome]:
        return [(NORMAL, s2, None) for _, s2 in self.ev(st.expr, s, fr)]

    def _exec_decls(self, st: ir.DeclStmt, s: State, fr: Frame) -> List[Outcome]:
        states = [s]
        for d in st.vars:
            states = [x for y in states for x in self.exec_decl(d, y, fr)]
        return [(NORMAL, x, None) for x in states]

    def _exec_if(self, st: ir.If, s: State, fr: Frame) -> List[Outcome]:
        ts, fs = self.branch(st.cond, s, fr)
        out = []
        for x in ts:
            out += self.exec_stmt(st.then, x, fr)
        for x in fs:
            if st.other is not None:
                out += self.exec_stmt(st.other, x, fr)
            else:
                out.append((NORMAL, x, None))
        return self._merge_outcomes(out)

    def _exec_return(self, st: ir.Return, s: State, fr: Frame) -> List[Outcome]:
        if st.value is None:
            return [(RETURN, s, (None, st))]
        return [(RETURN, s2, (v, st)) for v, s2 in self.ev(st.value, s, fr)]

    def _exec_while(self, st: ir.While, s: State, fr: Frame) -> List[Outcome]:
        return self.exec_loop(st, s, fr, st.cond, st.body, None, False)

    def _exec_do_while(self, st: ir.DoWhile, s: State, fr: Frame) -> List[Outcome]:
        return self.exec_loop(st, s, fr, st.cond, st.body, None, True)

    def _exec_for(self, st: ir.For, s: State, fr: Frame) -> List[Outcome]:
        states = [s]
        if st.init is not None:
            outs = self.exec_stmt(st.init, s, fr)
            states = [x for k, x, _ in outs if k is NORMAL]
        out = []
        for x in states:
            out += self.exec_loop(st, x, fr, st.cond, st.body, st.step, False)
        # the init's variables live as long as the loop (scoped_guard() is such a loop)
        return self.run_cleanups(st.init.vars, out, fr) if isinstance(st.init, ir.DeclStmt) else out

    def _exec_labelled(self, st, s: State, fr: Frame) -> List[Outcome]:
        """`case`, `default` and a label: the statement they mark (jumps to them are exec_block's)."""
        return self.exec_stmt(st.body, s, fr)

    def _exec_goto(self, st: ir.Goto, s: State, fr: Frame) -> List[Outcome]:
        return [(GOTO, s, st.label)]

    def _exec_break(self, st: ir.Break, s: State, fr: Frame) -> List[Outcome]:
        return [(BREAK, s, None)]

    def _exec_continue(self, st: ir.Continue, s: State, fr: Frame) -> List[Outcome]:
        return [(CONTINUE, s, None)]

    def _exec_empty(self, st: ir.Empty, s: State, fr: Frame) -> List[Outcome]:
        return [(NORMAL, s, None)]

    def _exec_unsupported(self, st: ir.UnsupportedStmt, s: State, fr: Frame) -> List[Outcome]:
        return [(NORMAL, self.incomplete(s, st.loc, f"unsupported construct: {c_terms(st.what)}"), None)]

    def _merge_outcomes(self, out: List[Outcome]) -> List[Outcome]:
        normal = [x for k, x, _ in out if k is NORMAL]
        if len(normal) < 2:
            return out
        rest = [o for o in out if o[0] is not NORMAL]
        return [(NORMAL, x, None) for x in merge(normal)] + rest

    def exec_decl(self, d: ir.VarDecl, s: State, fr: Frame) -> List[State]:
        if d.storage in ("static", "extern"):
            return [s]
        region = Local(fr.depth, d.name)
        s = self.clear_region(s, region)
        if d.init is None:
            return [s]
        init = strip(d.init)
        if isinstance(init, ir.InitList) or (d.type.kind == "array" and isinstance(init, ir.StrLit)):
            s = self.clear_region(s, region, zero=True)
            if isinstance(init, ir.InitList):
                return self._flatten_init(init, region, (), s, fr, d.type)
            return [s]
        out = []
        for v, s2 in self.ev(d.init, s, fr):
            out.append(self.store(s2, (region, ()), v, d.name))
        return out

    def _flatten_init(self, init: ir.InitList, region: Region, path, s: State, fr: Frame, t) -> List[State]:
        fields_ = self.module.unit.record_fields(t.name) if t is not None and t.kind == "struct" and t.name else ()
        states = [s]
        pos = 0
        for item in init.items:
            if item.designators:
                sub = tuple(item.designators)
                d0 = sub[0]
                pos = (fields_.index(d0) + 1) if isinstance(d0, str) and d0 in fields_ else \
                    (d0 + 1 if isinstance(d0, int) else pos)
            else:
                if t is not None and t.kind == "array":
                    sub = (pos,)
                elif pos < len(fields_):
                    sub = (fields_[pos],)
                else:
                    sub = (pos,)
                pos += 1
            value = strip(item.value)
            new = []
            for x in states:
                if isinstance(value, ir.InitList):
                    sub_t = t.target if t is not None and t.kind == "array" else None
                    new += self._flatten_init(value, region, path + sub, x, fr, sub_t)
                else:
                    for v, x2 in self.ev(item.value, x, fr):
                        new.append(self.store(x2, (region, path + sub), v))
            states = new
        return states

    def _labels_of(self, block: Tuple[ir.Stmt, ...]) -> Dict[str, int]:
        key = id(block)
        m = self._labels.get(key)
        if m is None:
            m = {}
            for i, st in enumerate(block):
                while isinstance(st, (ir.Label, ir.Case, ir.Default)):
                    if isinstance(st, ir.Label):
                        m.setdefault(st.name, i)
                    st = st.body
            self._labels[key] = m
        return m

    def exec_block(self, block: Tuple[ir.Stmt, ...], start: int, s: State, fr: Frame,
                   owner=None) -> List[Outcome]:
        labels = self._labels_of(block)
        cap = self.budgets.max_paths
        pending: Dict[int, Frontier] = {start: Frontier(cap, (s,))}
        out: List[Outcome] = []
        n = len(block)
        while pending:
            i = min(pending)
            arrived = pending.pop(i)
            states = arrived.take()
            if arrived.cut:
                self.paths_cut(states, block[min(i, n - 1)].loc)
            if i >= n:
                out += [(NORMAL, x, None) for x in states]
                continue
            st = block[i]
            for x in states:
                for k, x2, pl in self.exec_stmt(st, x, fr):
                    if k is NORMAL:
                        _arrive(pending, i + 1, cap, x2)
                    elif k is GOTO and pl in labels:
                        t = labels[pl]
                        if t <= i:
                            back = self._backward_goto(x2, pl, st.loc)
                            if back is None:
                                continue
                            x2 = back
                        _arrive(pending, t, cap, x2)
                    else:
                        out += self.run_cleanups(block, [(k, x2, pl)], fr, i)
        return self.run_cleanups(block, [o for o in out if o[0] == "n"], fr) + [o for o in out if o[0] != "n"]

    def run_cleanups(self, scope, outs: List[Tuple], fr: Frame, upto: Optional[int] = None) -> List[Tuple]:
        """__attribute__((cleanup(fn))): leaving a scope calls fn(&var) for each such variable the
        scope declared (before statement `upto` when the way out is from inside it), last declared
        first, on every way out (end of block, return, break, continue, goto out of it); a return's
        value was computed before."""
        found = self._cleanups.get(id(scope))      # scope: a block's statements or a for's VarDecls
        if found is None:
            found = self._cleanups[id(scope)] = [
                (i, d) for i, st in enumerate(scope)
                for d in (st.vars if isinstance(st, ir.DeclStmt) else (st,) if isinstance(st, ir.VarDecl) else ())
                if d.cleanup is not None and d.storage == "auto"]
        decls = [d for i, d in found if upto is None or i < upto]
        if not decls or not outs:
            return outs
        for d in reversed(decls):
            call = ir.Call(d.loc, ir.Name(d.loc, d.cleanup, "func"),
                           (ir.Unary(d.loc, "&", ir.Name(d.loc, d.name, "local")),))
            outs = [(k, s2, pl) for k, x, pl in outs for _, s2 in self.ev(call, x, fr)]
        return outs

    def _backward_goto(self, s: State, label: str, loc) -> Optional[State]:
        counts = dict(s.gotos)
        c = counts.get(label, (0, s.forks))
        n, f0 = c
        if n >= self.budgets.loop_unroll:
            if s.forks > f0:
                return None            # a data-dependent retry: bounded like a loop
            if n >= LOOP_HARD_CAP:
                self.drop_incomplete(s, loc, f"backward goto {label} taken more than {LOOP_HARD_CAP} times")
                return None
        counts[label] = (n + 1, f0)
        s2 = s.copy()
        s2.gotos = tuple(sorted(counts.items()))
        return s2

    def paths_cut(self, states: List[State], loc) -> None:
        """More paths than the budget: the first ones are kept (and carry one KLP213 event)."""
        key = (self.ctx.function if self.ctx else None, loc)
        if key in self.cut_noted:
            return
        self.cut_noted.add(key)
        self.drop_incomplete(states[0], loc, f"more than {self.budgets.max_paths} paths")

    def drop_incomplete(self, s: State, loc, reason: str) -> None:
        """A path abandoned by a budget: its KLP213 note outlives it."""
        self.side_events.extend(self.incomplete(s, loc, reason, taint=False).events[-1:])

    def exec_switch(self, st: ir.Switch, s: State, fr: Frame) -> List[Outcome]:
        body = st.body.body if isinstance(st.body, ir.Compound) else (st.body,)
        cases = self._cases.get(id(body))
        if cases is None:
            cases = []
            for i, node in enumerate(body):
                while isinstance(node, (ir.Case, ir.Default, ir.Label)):
                    if isinstance(node, ir.Case):
                        cases.append((i, const_int(node.value), node.loc))
                    elif isinstance(node, ir.Default):
                        cases.append((i, "default", node.loc))
                    node = node.body
            self._cases[id(body)] = cases
        out: List[Outcome] = []
        for v, s1 in self.ev(st.cond, s, fr):
            rest = [s1]
            default_i = None
            for i, c, loc in cases:
                if c == "default":
                    default_i = i
                    continue
                if c is None:
                    # a case label we cannot evaluate: that case and the fall-out are both possible
                    for x in rest:
                        out += self._switch_from(body, i, x.forked(), fr)
                    continue
                new_rest = []
                for x in rest:
                    ts, fs = self.compare("==", v, Int(c), x, loc)
                    for y in ts:
                        out += self._switch_from(body, i, y, fr)
                    new_rest += fs
                rest = new_rest
            for x in rest:
                if default_i is not None:
                    out += self._switch_from(body, default_i, x, fr)
                else:
                    out.append((NORMAL, x, None))
        return self._merge_outcomes(out)

    def _switch_from(self, body, i, s, fr) -> List[Outcome]:
        res: List[Outcome] = []
        for k, x, pl in self.exec_block(body, i, s, fr):
            res.append((NORMAL, x, None) if k is BREAK else (k, x, pl))
        return res

    def _assigned_roots(self, st) -> Tuple:
        key = id(st)
        r = self._assigned.get(key)
        if r is None:
            names = []
            for n in walk(st):
                tgt = None
                if isinstance(n, ir.Assign):
                    tgt = n.target
                elif isinstance(n, ir.Unary) and n.op in ("++pre", "--pre", "post++", "post--"):
                    tgt = n.operand
                elif isinstance(n, ir.Unary) and n.op == "&":
                    tgt = n.operand
                while tgt is not None and not isinstance(tgt, ir.Name):
                    if isinstance(tgt, (ir.Member, ir.Index)):
                        tgt = tgt.base
                    elif isinstance(tgt, (ir.Cast,)):
                        tgt = tgt.operand
                    elif isinstance(tgt, ir.Unary) and tgt.op == "*":
                        tgt = tgt.operand
                    else:
                        tgt = None
                if isinstance(tgt, ir.Name) and tgt not in names:
                    names.append(tgt)
            r = tuple(names)
            self._assigned[key] = r
        return r

    def _widen(self, st, s: State, fr: Frame, cnt0: int) -> State:
        """Leave a loop after the unrolling budget: what the loop writes becomes unknown, and what it
        took stops being tracked (never a finding from an iteration klplint did not explore)."""
        for name in self._assigned_roots(st):
            region = self.region_of_name(name, fr)
            old = s.mem.get((region, ()))
            if old is not None:
                s = self.escape(s, old)
            s = self.escape(s, Ptr(region))
        heap = {h: o._replace(escaped=True) for h, o in s.heap.items() if o.acq_id >= cnt0 and not o.escaped}
        res = {k: r._replace(status="escaped") for k, r in s.res.items() if r.acq_id >= cnt0 and r.status == "held"}
        if heap or res:
            s = s.copy()
            if heap:
                h = dict(s.heap)
                h.update(heap)
                s.heap = h
            if res:
                d = dict(s.res)
                d.update(res)
                s.res = d
        return s

    def exec_loop(self, st, s: State, fr: Frame, cond, body, step, do_first: bool) -> List[Outcome]:
        out: List[Outcome] = []
        current = [(s, 0, s.forks, s.cnt)]
        unroll = self.budgets.loop_unroll
        cap = self.budgets.max_paths
        while current:
            nxt: List[Tuple] = []
            cut = False
            for x, it, f0, c0 in current:
                if it > 0 or not do_first:
                    if it >= unroll and (x.forks > f0 or it >= LOOP_HARD_CAP):
                        if it >= LOOP_HARD_CAP and x.forks == f0:
                            self.drop_incomplete(x, st.loc, f"loop runs more than {LOOP_HARD_CAP} iterations")
                        w = self._widen(st, x, fr, c0)
                        ts, fs = self.branch(cond, w, fr) if cond is not None else ([], [])
                        out += [(NORMAL, y, None) for y in fs]
                        continue
                    if cond is None:
                        ts, fs = [x], []
                    else:
                        ts, fs = self.branch(cond, x, fr)
                    out += [(NORMAL, y, None) for y in fs]
                else:
                    ts = [x]
                for y in ts:
                    for k, y2, pl in self.exec_stmt(body, y, fr):
                        if k is NORMAL or k is CONTINUE:
                            if step is not None:
                                for _, y3 in self.ev(step, y2, fr):
                                    nxt.append((y3, it + 1, f0, c0))
                            else:
                                nxt.append((y2, it + 1, f0, c0))
                            if len(nxt) >= 2 * cap:     # bounded memory, the same result (frontier.py)
                                nxt, c = _next_iteration(nxt, cap)
                                cut = cut or c
                        elif k is BREAK:
                            out.append((NORMAL, y2, None))
                        else:
                            out.append((k, y2, pl))
            nxt, c = _next_iteration(nxt, cap)
            if cut or c:
                kept = [x for x, _, _, _ in nxt]
                self.paths_cut(kept, st.loc)
                nxt = [(k,) + x[1:] for k, x in zip(kept, nxt)]
            current = nxt
        return self._merge_outcomes(out)


def _next_iteration(nxt: List[Tuple], cap: int) -> Tuple[List[Tuple], bool]:
    """The states starting a loop's next iteration: those with the same store joined (the first
    one's iteration count kept), the first `cap` kept; and whether any was dropped."""
    if len(nxt) > 1:
        first: Dict = {}
        for x, it, f0, c0 in nxt:
            k = x.mkey()
            if k in first:
                y, it2, f2, c2 = first[k]
                first[k] = (join(y, x), it2, f2, c2)
            else:
                first[k] = (x, it, f0, c0)
        nxt = list(first.values())
    if len(nxt) > cap:
        return nxt[:cap], True
    return nxt, False


def _arrive(pending: Dict[int, Frontier], i: int, cap: int, s: State) -> None:
    f = pending.get(i)
    if f is None:
        f = pending[i] = Frontier(cap)
    f.add(s)


def _walk_decls(body) -> Iterable[ir.VarDecl]:
    for n in walk(body):
        if isinstance(n, ir.VarDecl):
            yield n
