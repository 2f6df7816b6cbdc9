"""Executor expressions and conditions: values of C expressions, branching, comparisons, lvalues."""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from klplint import ir
from klplint.analysis import falloff
from klplint.analysis.context import Frame
from klplint.analysis.events import ModStateCompare, NullDeref, TargetUninit, UseAfterRelease
from klplint.analysis.outcome import NORMAL
from klplint.analysis.parts import ExecutorParts
from klplint.analysis.state import State, merge
from klplint.analysis.values import (
    MODULE_STATE_ORIGIN,
    ONE,
    UP,
    ZERO,
    Addr,
    HeapRegion,
    Int,
    KsymRegion,
    NullAddr,
    Ptr,
    StrRegion,
    Sym,
    SymRegion,
    Value,
    _zero_tail,
    fn_value,
    freed_record,
)
from klplint.ir.util import c_terms, c_text, strip

_ARITH = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: (abs(a) // abs(b)) * (1 if (a >= 0) == (b >= 0) else -1) if b else None,
    "%": lambda a, b: a - b * ((abs(a) // abs(b)) * (1 if (a >= 0) == (b >= 0) else -1)) if b else None,
    "<<": lambda a, b: a << b if 0 <= b < 128 else None, ">>": lambda a, b: a >> b if 0 <= b < 128 else None,
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
}
_REL = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
        ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
_NEG = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_SWAP = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


class Evaluate(ExecutorParts):
    """Expressions, conditions and lvalues (a part of Executor)."""

    # ================================================== conditions
    # The value classes (Int, Sym, Ptr) and NullAddr have no subclasses: the hottest tests below are
    # `type(v) is Int`, which is cheaper than isinstance.
    def truth(self, v: Value, s: State) -> Tuple[List[State], List[State]]:
        if type(v) is Int:
            return ([s], []) if v.value != 0 else ([], [s])
        if type(v) is Ptr:
            return [s], []
        sym = v.id
        if s.flags:
            s = falloff.used(self, s, sym)
        t = s.constrain(sym, ne=0)
        f = s.constrain(sym, eq=0)
        if t is not None and f is not None:
            t, f = t.forked(), f.forked()
        return ([t] if t is not None else []), ([f] if f is not None else [])

    def branch(self, e: ir.Expr, s: State, fr: Frame) -> Tuple[List[State], List[State]]:
        # no IR node class has subclasses, so `type(e) is` tests exactly what isinstance would
        while type(e) is ir.Cast:
            e = e.operand
        kind = type(e)
        if kind is ir.Unary and e.op == "!":
            t, f = self.branch(e.operand, s, fr)
            return f, t
        if kind is ir.Binary:
            op = e.op
            if op == "&&":
                lt, lf = self.branch(e.lhs, s, fr)
                T, F = [], list(lf)
                for x in lt:
                    rt, rf = self.branch(e.rhs, x, fr)
                    T += rt
                    F += rf
                return merge(T), merge(F)
            if op == "||":
                lt, lf = self.branch(e.lhs, s, fr)
                T, F = list(lt), []
                for x in lf:
                    rt, rf = self.branch(e.rhs, x, fr)
                    T += rt
                    F += rf
                return merge(T), merge(F)
            if op in _REL:
                T, F = [], []
                for a, s1 in self.ev(e.lhs, s, fr):
                    for b, s2 in self.ev(e.rhs, s1, fr):
                        t, f = self.compare(op, a, b, s2, e.loc)
                        T += t
                        F += f
                return T, F
            if op == ",":
                T, F = [], []
                for _, s1 in self.ev(e.lhs, s, fr):
                    t, f = self.branch(e.rhs, s1, fr)
                    T += t
                    F += f
                return T, F
        if kind is ir.Call and e.callee_name in ("__builtin_expect", "__builtin_expect_with_probability",
                                                         "likely", "unlikely") and e.args:
            T, F = [], []
            # the other arguments have no effect
            t, f = self.branch(e.args[0], s, fr)
            return t, f
        T, F = [], []
        for v, s1 in self.ev(e, s, fr):
            t, f = self.truth(v, s1)
            T += t
            F += f
        return T, F

    def compare(self, op: str, a: Value, b: Value, s: State, loc) -> Tuple[List[State], List[State]]:
        if s.flags:
            for x in (a, b):
                if type(x) is Sym:
                    s = falloff.used(self, s, x.id)
        if self.ctx is not None:
            for x, y in ((a, b), (b, a)):
                if isinstance(x, Int) and x.origin == MODULE_STATE_ORIGIN and isinstance(y, Int):
                    self.fact(loc, ModStateCompare(y.value, op))
        if type(a) is Int and type(b) is not Int:
            a, b, op = b, a, _SWAP[op]      # an integer against something else: the integer on the right
        if type(b) is Int:
            if type(a) is Int:
                r = _REL[op](a.value, b.value)
                return ([s], []) if r else ([], [s])
            if type(a) is Sym:
                sym, c = a.id, b.value
                known = s.sym_value(sym)
                if known is not None:
                    r = _REL[op](known, c)
                    return ([s], []) if r else ([], [s])
                if op in ("==", "!="):
                    eq = s.constrain(sym, eq=c)
                    ne = s.constrain(sym, ne=c)
                    if eq is not None and ne is not None:
                        eq, ne = eq.forked(), ne.forked()
                    eqs = [eq] if eq is not None else []
                    nes = [ne] if ne is not None else []
                    return (eqs, nes) if op == "==" else (nes, eqs)
            else:
                # a pointer against an integer: a pointer to an object is not NULL nor an error value
                if op in ("==", "!="):
                    r = op == "!="
                    return ([s], []) if r else ([], [s])
                if b.value < 0 or b.value > 0xFFFF_FFFF_FFFF_F000:   # IS_ERR_VALUE-style tests
                    r = op in ("<", "<=", "!=")
                    return ([s], []) if r else ([], [s])
        elif (type(a) is Sym and type(b) is Ptr) or (type(a) is Ptr and type(b) is Sym):
            sym, ptr = (a, b) if type(a) is Sym else (b, a)
            if op in ("==", "!=") and self._never_equal(sym, ptr, s):
                return ([s], []) if op == "!=" else ([], [s])
        elif type(a) is Sym and type(b) is Sym:
            if a.id == b.id:
                r = op in ("==", "<=", ">=")
                return ([s], []) if r else ([], [s])
        elif type(a) is Ptr and type(b) is Ptr:
            ea, eb = self._element_of(a), self._element_of(b)
            if ea is not None and eb is not None and ea[0] == eb[0]:
                # two elements of one array: their indexes decide (loops bounded by an end pointer)
                r = _REL[op](ea[1], eb[1])
                return ([s], []) if r else ([], [s])
            a, b = self.canon_ptr(a), self.canon_ptr(b)
            if op in ("==", "!="):
                ra, rb = a.region, b.region
                if ra == rb and a.path == b.path:
                    return ([s], []) if op == "==" else ([], [s])
                # memory behind an unknown pointer, or a symbol looked up by name (which may be
                # one the code also names), may be any object
                unknown = type(ra) is SymRegion or type(rb) is SymRegion or \
                    type(ra) is KsymRegion or type(rb) is KsymRegion or \
                    (ra == rb and _zero_tail(a.path) == _zero_tail(b.path))
                if not unknown:
                    return ([], [s]) if op == "==" else ([s], [])
        t, f = s.forked(), s.forked()
        return [t], [f]

    def _never_equal(self, sym: Sym, ptr: Ptr, s: State) -> bool:
        """An unknown value that cannot be this address: the path condition makes it an integer
        (NULL, a constant), or the address is of a heap object allocated after the value was
        made (symbols and heap ids share one counter) that no code klplint cannot see was ever
        given, so nothing the value came from can have held it."""
        if s.sym_value(sym.id) is not None:
            return True
        if type(ptr.region) is HeapRegion and sym.id < ptr.region.id:
            obj = s.heap.get(ptr.region.id)
            return obj is not None and not obj.escaped
        return False

    # ================================================== expressions
    def ev_table(self) -> Dict[type, Callable]:
        """The handler of each expression node class, bound to this executor (made once by Executor):
        ev() dispatches on the node's class instead of testing it against each class in turn."""
        return {
            ir.IntLit: self._ev_intlit, ir.Name: self.ev_name, ir.Cast: self._ev_cast,
            ir.StrLit: self._ev_strlit, ir.Member: self._ev_lvalue, ir.Index: self._ev_lvalue,
            ir.Call: self.ev_call, ir.Unary: self.ev_unary, ir.Binary: self.ev_binary,
            ir.Assign: self.ev_assign, ir.Cond: self._ev_cond, ir.SizeOf: self._ev_sizeof,
            ir.StmtExpr: self.ev_stmt_expr, ir.InitList: self._ev_unknown,
            ir.Unsupported: self._ev_unsupported,
        }

    def ev(self, e: ir.Expr, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        handler = self._ev_table.get(type(e))
        if handler is None:
            v, s = self.fresh_sym(s)
            return [(v, self.incomplete(s, e.loc, f"unsupported expression {type(e).__name__}"))]
        return handler(e, s, fr)

    def _ev_intlit(self, e: ir.IntLit, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        v = self._literals.get(e.value)
        if v is None:
            v = self._literals[e.value] = Int(e.value)
        return [(v, s)]

    def _ev_cast(self, e: ir.Cast, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        out = self.ev(e.operand, s, fr)
        if e.type.kind == "bool":
            res: List[Tuple[Value, State]] = []
            for v, x in out:
                if isinstance(v, Ptr):
                    res.append((ONE, x))
                elif isinstance(v, Int):
                    res.append((Int(int(v.value != 0)), x))
                else:
                    res.append((v, x))
            return res
        return out

    def _ev_strlit(self, e: ir.StrLit, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        v = self._literals.get(e.value)
        if v is None:
            v = self._literals[e.value] = Ptr(StrRegion(e.value))
        return [(v, s)]

    def _ev_lvalue(self, e: ir.Expr, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        """A member or an element: the value at the address it designates."""
        out = []
        for key, s1 in self.addr(e, s, fr, for_read=True):
            out.append(self.read(s1, key))
        return out

    def _ev_cond(self, e: ir.Cond, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        ts, fs = self.branch(e.cond, s, fr)
        out = []
        for x in ts:
            out += self.ev(e.then, x, fr)
        for x in fs:
            out += self.ev(e.other, x, fr)
        return out

    def _ev_sizeof(self, e: ir.SizeOf, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        if e.value is not None:
            return [(Int(e.value), s)]
        return self._ev_unknown(e, s, fr)

    def _ev_unknown(self, e: ir.Expr, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        """A value klplint does not model (an initializer list as a value, sizeof of unknown size)."""
        v, s = self.fresh_sym(s)
        return [(v, s)]

    def _ev_unsupported(self, e: ir.Unsupported, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        s = self.incomplete(s, e.loc, f"unsupported construct: {c_terms(e.what)}")
        v, s = self.fresh_sym(s)
        return [(v, s)]

    def ev_name(self, e: ir.Name, s: State, fr: Frame):
        if e.kind == "enum":
            return [(Int(e.value if e.value is not None else 0), s)]
        if e.kind == "func":
            return [(fn_value(e.name), s)]
        region = self.region_of_name(e, fr)
        typ = self._name_type(e, fr)
        if typ is not None and typ.kind in ("array", "func"):
            if typ.kind == "func":
                return [(fn_value(e.name), s)]
            return [(Ptr(region), s)]
        v, s = self.load(s, (region, ()))
        return [(v, s)]

    def _name_type(self, e: ir.Name, fr: Frame) -> Optional[ir.Type]:
        if e.kind in ("local", "param"):
            return fr.types.get(e.name)
        if e.kind == "static_local":
            d = self._static_locals.get((fr.fn.name, e.name))
            return d.type if d else None
        d = self.module.variables.get(e.name)
        if d is not None:
            return d.type
        if e.kind == "unknown":
            return fr.types.get(e.name)
        return None

    def ev_stmt_expr(self, e: ir.StmtExpr, s: State, fr: Frame):
        body = e.body.body
        if not body:
            return [(ZERO, s)]
        last = body[-1]
        head = body[:-1] if isinstance(last, ir.ExprStmt) else body
        outs = self.exec_block(head, 0, s, fr) if head else [(NORMAL, s, None)]
        res: List[Tuple[Value, State]] = []
        for k, x, pl in outs:
            if k is not NORMAL:
                x = self.incomplete(x, e.loc, "control flow leaving a statement expression")
                v, x = self.fresh_sym(x)
                res.append((v, x))
                continue
            if isinstance(last, ir.ExprStmt):
                res += self.ev(last.expr, self.tick(x), fr)
            else:
                res.append((ZERO, x))
        return res

    def ev_unary(self, e: ir.Unary, s: State, fr: Frame) -> List[Tuple[Value, State]]:
        op = e.op
        v: Value
        out: List[Tuple[Value, State]]
        if op == "&":
            return self.ev_addr_of(e.operand, s, fr)
        if op == "*":
            out = []
            for key, s1 in self.addr(e, s, fr, for_read=True):
                out.append(self.read(s1, key))
            return out
        if op in ("++pre", "--pre", "post++", "post--"):
            out = []
            delta = 1 if "++" in op else -1
            for key, s1 in self.addr(e.operand, s, fr):
                if key is None or isinstance(key, NullAddr):
                    v, s1 = self.fresh_sym(s1)
                    out.append((v, s1))
                    continue
                old: Value
                old, s1 = self.load(s1, key)
                new: Value
                if isinstance(old, Int):
                    new = Int(old.value + delta)
                elif isinstance(old, Ptr):
                    new, s1 = self.arith("+", old, Int(delta), s1)
                else:
                    new, s1 = self.fresh_sym(s1)
                s1 = self.store(s1, key, new)
                out.append((new if op.endswith("pre") else old, s1))
            return out
        if op == "!":
            ts, fs = self.branch(e.operand, s, fr)
            out = [(ZERO, x) for x in ts]
            return out + [(ONE, x) for x in fs]
        out = []
        for v, s1 in self.ev(e.operand, s, fr):
            if isinstance(v, Int):
                r = {"-": -v.value, "+": v.value, "~": ~v.value}.get(op)
                if r is not None:
                    origin = v.origin if op == "+" else None
                    out.append((Int(r, origin), s1))
                    continue
            sym, s1 = self.fresh_sym(s1)
            out.append((sym, s1))
        return out

    def ev_addr_of(self, operand, s: State, fr: Frame):
        operand = strip(operand) if isinstance(operand, ir.Cast) else operand
        if isinstance(operand, ir.Name) and operand.kind == "func":
            return [(fn_value(operand.name), s)]
        out: List[Tuple[Value, State]] = []
        for key, s1 in self.addr(operand, s, fr, for_read=None):
            if key is None:
                v, s1 = self.fresh_sym(s1)
                out.append((v, s1))
            elif isinstance(key, NullAddr):
                out.append((key.value, s1))
            else:
                region, path = key
                out.append((Ptr(region, path), s1))
        return out

    def ev_binary(self, e: ir.Binary, s: State, fr: Frame):
        op = e.op
        if op in ("&&", "||"):
            ts, fs = self.branch(e, s, fr)
            return [(ONE, x) for x in ts] + [(ZERO, x) for x in fs]
        if op == ",":
            out: List[Tuple[Value, State]] = []
            for _, s1 in self.ev(e.lhs, s, fr):
                out += self.ev(e.rhs, s1, fr)
            return out
        out = []
        for a, s1 in self.ev(e.lhs, s, fr):
            for b, s2 in self.ev(e.rhs, s1, fr):
                if op in _REL:
                    ts, fs = self.compare(op, a, b, s2, e.loc)
                    out += [(ONE, x) for x in ts] + [(ZERO, x) for x in fs]
                    continue
                out.append(self.arith(op, a, b, s2))
        return out

    def arith(self, op: str, a: Value, b: Value, s: State) -> Tuple[Value, State]:
        if isinstance(a, Int) and isinstance(b, Int):
            f = _ARITH.get(op)
            r = f(a.value, b.value) if f else None
            if r is not None:
                return Int(r), s
        if isinstance(a, Ptr) and isinstance(b, Int) and op in ("-", "+"):
            path = a.path
            moved = self._element_moved(a, b.value if op == "+" else -b.value)
            if moved is not None:
                return moved, s
            if op == "-" and b.value >= 0:
                # container_of(): back from a member to the structure holding it
                if path and isinstance(path[-1], str):
                    return Ptr(a.region, path[:-1]), s
                if not path:
                    return Ptr(a.region, (UP,)), s
            if b.value == 0:
                return a, s
        if isinstance(a, Int) and isinstance(b, Ptr) and op == "+":
            if a.value == 0:
                return b, s
            moved = self._element_moved(b, a.value)
            if moved is not None:
                return moved, s
        if isinstance(a, Ptr) and isinstance(b, Ptr) and op == "-":
            ea, eb = self._element_of(a), self._element_of(b)
            if ea is not None and eb is not None and ea[0] == eb[0]:
                return Int(ea[1] - eb[1]), s
        v, s = self.fresh_sym(s)
        return v, s

    def _element_of(self, p: Ptr) -> Optional[Tuple[tuple, int]]:
        """A pointer into an array as (the array's region and path, the element's index), or None.
        An int at the end of a path is an array index; a path that is itself an array points to
        its element 0."""
        path = p.path
        at = self.array_at(p.region, path)
        if at:
            return (p.region, path), 0
        if path and type(path[-1]) is int and at is not True:
            return (p.region, path[:-1]), path[-1]
        return None

    def _element_moved(self, p: Ptr, n: int) -> Optional[Ptr]:
        """p + n for a pointer into an array of known layout: the element n further on."""
        el = self._element_of(p)
        if el is None or el[1] + n < 0:
            return None
        (region, path), i = el
        if n == 0:
            return p
        return Ptr(region, path + (i + n,))

    def ev_assign(self, e: ir.Assign, s: State, fr: Frame):
        out: List[Tuple[Value, State]] = []
        text = c_text(e.target)
        for key, s1 in self.addr(e.target, s, fr):
            for v, s2 in self.ev(e.value, s1, fr):
                if e.op != "=":
                    old, s2 = self.read(s2, key)
                    v, s2 = self.arith(e.op[:-1], old, v, s2)
                out.append((v, self.store(s2, key, v, text)))
        return out

    # ---------------------------------------------- lvalues
    def read(self, s: State, key: Addr) -> Tuple[Value, State]:
        """The value at `key`; unknown for memory klplint cannot name."""
        if key is None or type(key) is NullAddr:
            return self.fresh_sym(s)
        return self.load(s, key)

    def addr_table(self) -> Dict[type, Callable]:
        """The handler of each lvalue node class for addr(), bound to this executor (made once)."""
        return {
            ir.Name: self._addr_name, ir.Cast: self._addr_cast, ir.Member: self._addr_member,
            ir.Index: self._addr_index, ir.Unary: self._addr_unary,
            ir.Call: self._addr_rvalue, ir.StmtExpr: self._addr_rvalue, ir.Cond: self._addr_rvalue,
            ir.Binary: self._addr_rvalue, ir.Assign: self._addr_rvalue,
        }

    def addr(self, e: ir.Expr, s: State, fr: Frame, for_read: Optional[bool] = False) -> List[Tuple[Addr, State]]:
        """Locations an lvalue designates: (key, state); key None for memory klplint cannot name.
        for_read None: only the address is taken (`&p->f`), so a NULL base is no dereference."""
        handler = self._addr_table.get(type(e))
        if handler is None:
            return [(None, s)]
        return handler(e, s, fr, for_read)

    def _addr_name(self, e: ir.Name, s: State, fr: Frame, for_read) -> List[Tuple[Addr, State]]:
        if e.kind == "func":
            return [(None, s)]
        return [((self.region_of_name(e, fr), ()), s)]

    def _addr_cast(self, e: ir.Cast, s: State, fr: Frame, for_read) -> List[Tuple[Addr, State]]:
        return self.addr(e.operand, s, fr, for_read)

    def _addr_member(self, e: ir.Member, s: State, fr: Frame, for_read) -> List[Tuple[Addr, State]]:
        out: List[Tuple[Addr, State]] = []
        if not e.arrow:
            for key, s1 in self.addr(e.base, s, fr, for_read):
                out.append((self._sub(key, e.field), s1))
            return out
        for v, s1 in self.ev(e.base, s, fr):
            out += self.deref(v, s1, e, e.field, for_read)
        return out

    def _addr_index(self, e: ir.Index, s: State, fr: Frame, for_read) -> List[Tuple[Addr, State]]:
        out: List[Tuple[Addr, State]] = []
        for base_key, s1, ptr in self._index_base(e.base, s, fr, for_read, e):
            for iv, s2 in self.ev(e.index, s1, fr):
                if base_key is None:
                    out.append((None, s2))
                    continue
                if isinstance(base_key, NullAddr):
                    out.append((base_key, s2))
                    continue
                if type(iv) is Int:
                    # p[i] is *(p + i): from a pointer into an array, the element i further on
                    moved = self._element_moved(ptr, iv.value) if ptr is not None else None
                    if moved is not None:
                        out.append(((moved.region, moved.path), s2))
                    else:
                        out.append(((base_key[0], base_key[1] + (iv.value,)), s2))
                else:
                    if for_read is False:   # a write at an unknown index: the array is unknown now
                        s2 = self.clear_region(s2, base_key[0], base_key[1], havoc=True)
                    out.append((None, s2))
        return out

    def _addr_unary(self, e: ir.Unary, s: State, fr: Frame, for_read) -> List[Tuple[Addr, State]]:
        if e.op != "*":
            return self._addr_rvalue(e, s, fr, for_read)
        out: List[Tuple[Addr, State]] = []
        for v, s1 in self.ev(e.operand, s, fr):
            out += self.deref(v, s1, e, None, for_read)
        return out

    def _addr_rvalue(self, e: ir.Expr, s: State, fr: Frame, for_read) -> List[Tuple[Addr, State]]:
        """An rvalue used as an lvalue base (e.g. `*foo()`): evaluated for its effects."""
        return [(None, x) for _, x in self.ev(e, s, fr)]

    def _sub(self, key: Addr, field) -> Addr:
        if key is None or type(key) is NullAddr:
            return key
        region, path = key
        if path and path[-1] == UP:
            return (region, path[:-1])
        return (region, path + (field,))

    def _index_base(self, base: ir.Expr, s: State, fr: Frame, for_read, e):
        """An indexed expression: arrays are indexed in place, pointers through their value.
        (key, state, the pointer value when the base is a pointer into memory, else None)."""
        b = strip(base) if isinstance(base, ir.Cast) else base
        if isinstance(b, ir.Name):
            typ = self._name_type(b, fr)
            if typ is not None and typ.kind == "array":
                return [(k, x, None) for k, x in self.addr(b, s, fr, for_read)]
            out: List[Tuple[Addr, State, Optional[Ptr]]] = []
            for v, s1 in self.ev(b, s, fr):
                out += self._deref_base(v, s1, e, for_read)
            return out
        if isinstance(b, (ir.Member, ir.Index)):
            out = []
            for key, s1 in self.addr(b, s, fr, for_read):
                if key is None or isinstance(key, NullAddr):
                    out.append((key, s1, None))
                    continue
                stored = s1.mem.get(key)
                if stored is not None:
                    out += self._deref_base(stored, s1, e, for_read)
                else:
                    out.append((key, s1, None))
            return out
        out = []
        for v, s1 in self.ev(base, s, fr):
            out += self._deref_base(v, s1, e, for_read)
        return out

    def _deref_base(self, v: Value, s: State, e, for_read) -> List[Tuple[Addr, State, Optional[Ptr]]]:
        ptr = v if type(v) is Ptr else None
        return [(k, x, ptr) for k, x in self.deref(v, s, e, None, for_read)]

    def deref(self, v: Value, s: State, e: ir.Expr, field, for_read) -> List[Tuple[Addr, State]]:
        """Dereference pointer value v (then select `field`): NULL ends the path with an event."""
        if type(v) is Ptr:
            region, path = v.region, v.path
            if type(region) is HeapRegion:
                obj = s.heap.get(region.id)
                if obj is not None and obj.status == "released" and for_read is not None:
                    s = self.event(s, e.loc, UseAfterRelease(obj, c_text(e)))
            key: Addr = (region, path)
            if field is not None:
                key = self._sub(key, field)
            return [(key, s)]
        if type(v) is Int:
            if v.value == 0 or v.is_errptr:
                if for_read is None:
                    return [(NullAddr(v), s)]
                return self.crash(self.event(s, e.loc, NullDeref(v.origin, c_text(e))))
            return [(None, s)]
        # an unknown pointer: memory klplint names after the symbol
        if s.flags and for_read is not None:
            hid = freed_record(s.flags, v.id)
            obj = s.heap.get(hid) if hid is not None else None
            if obj is not None and obj.status == "released":
                s = self.event(s, e.loc, UseAfterRelease(obj, c_text(e)))
        if self.ctx is not None and v.id in self.ctx.target_syms and for_read is not None:
            s = self.event(s, e.loc, TargetUninit(self.ctx.target_syms[v.id], c_text(e)))
        if v.addr_of is not None and s.sym_value(v.id) is None:
            # a symbol's resolved address: its memory, the same cells whichever lookup gave it
            key = (v.addr_of, ())
        else:
            key = (SymRegion(v.id), ())
        if field is not None:
            key = self._sub(key, field)
        return [(key, s)]
