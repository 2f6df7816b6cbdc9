"""Path-sensitive execution of IR function bodies over an immutable abstract state.

The domain is deliberately small (design: /work/shared/design/symex.md):

* values are tuples: ``('I', n, origin)`` an integer (NULL is ``('I', 0, origin)``; the origin
  says where a NULL or an error pointer came from: an allocation, ``obj->mod`` of vmlinux...),
  ``('S', n)`` an unknown value (a symbol the path condition may constrain against constants),
  ``('P', region, path)`` the address of an abstract location;
* a location is ``(region, path)``: a global, a static local, a local of a live frame, a heap
  object (allocation site + identity), the bound ``struct klp_object`` / ``struct module``, a
  shadow variable, or the memory behind an unknown pointer; ``path`` is a tuple of field names
  and constant indices;
* ``State`` is a value: memory, heap objects (status live / released / lost, escaped or not),
  keyed resources (registrations, timers, module references...), shadow variables, locks held,
  the path condition, plus the witness trace and the pending events of the path.

`Executor` runs one function body (with same-file callees inlined, kernel calls through
`kapi`), forking on branches and pruning infeasible paths, bounded by the budgets in
`config.Budgets`. The engine (engine.py) drives it over lifecycle scenarios.
"""
from __future__ import annotations

import contextlib
import time
from collections import namedtuple
from typing import Dict, Iterable, List, Optional, Tuple

from . import ir
from .findings import PathStep
from .irutil import c_text, const_int, strip

# ------------------------------------------------------------------ values

ZERO = ("I", 0, None)
ONE = ("I", 1, None)

MODULE_STATES = {"LIVE": 0, "COMING": 1, "GOING": 2, "UNFORMED": 3}
STATE_NAMES = {v: k for k, v in MODULE_STATES.items()}


def I(v: int, origin=None):
    return ("I", v, origin)


def P(region, path=()):
    return ("P", region, tuple(path))


def is_null(v) -> bool:
    return v[0] == "I" and v[1] == 0


def fn_value(name: str):
    return ("P", ("fn", name), ())


def fn_name(v) -> Optional[str]:
    if v[0] == "P" and v[1][0] == "fn":
        return v[1][1]
    return None


def str_value(v) -> Optional[str]:
    if v[0] == "P" and v[1][0] == "str" and not v[2]:
        return v[1][1]
    return None


def heap_id(v) -> Optional[int]:
    if v[0] == "P" and v[1][0] == "h":
        return v[1][1]
    return None


# A heap object (allocations, and handles such as kthreads and workqueues).
Heap = namedtuple("Heap", "kind api site desc name status escaped zeroed rel_loc rel_what "
                          "acq_role acq_fn acq_id extra failed")
# A keyed resource: a registration, an armed timer, a module reference...
Res = namedtuple("Res", "kind key status count site desc acq_role acq_fn acq_id rel_loc rel_what failed")
# What the engine reports; rule modules turn events into findings.
Event = namedtuple("Event", "kind loc data trace nstmt function role scenario")

MAX_TRACE = 80


class Budget(Exception):
    """A budget was hit; the reason becomes a KLP213 note. kind 'time' ends the whole analysis."""

    def __init__(self, reason: str, kind: str = "statements"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


# ------------------------------------------------------------------ state

class State:
    """One path's abstract store. Never mutated after construction: methods return new states."""

    __slots__ = ("mem", "heap", "res", "shadow", "locks", "pc", "cnt", "flags",
                 "trace", "nstmt", "events", "forks", "gotos", "_key", "_mkey", "_fmem")

    def __init__(self):
        self.mem: Dict = {}
        self.heap: Dict[int, Heap] = {}
        self.res: Dict = {}
        self.shadow: Dict = {}          # (objkey, id) -> heap id of the shadow variable
        self.locks: Tuple = ()          # ((key, loc, api), ...)
        self.pc: Dict[int, Tuple] = {}  # symbol -> (eq or None, frozenset of excluded constants)
        self.cnt = 0                    # fresh symbols, heap ids, frames
        self.flags = frozenset()
        self.trace: Tuple[PathStep, ...] = ()
        self.nstmt = 0
        self.events: Tuple[Event, ...] = ()
        self.forks = 0
        self.gotos: Tuple = ()
        self._key = None
        self._mkey = None
        self._fmem = None

    def copy(self) -> "State":
        n = State.__new__(State)
        n.mem = self.mem
        n.heap = self.heap
        n.res = self.res
        n.shadow = self.shadow
        n.locks = self.locks
        n.pc = self.pc
        n.cnt = self.cnt
        n.flags = self.flags
        n.trace = self.trace
        n.nstmt = self.nstmt
        n.events = self.events
        n.forks = self.forks
        n.gotos = self.gotos
        n._key = None
        n._mkey = None
        n._fmem = self._fmem
        return n

    # -------------------------------------------------- updates
    def set_mem(self, key, value) -> "State":
        n = self.copy()
        m = dict(self.mem)
        m[key] = value
        n.mem = m
        n._fmem = None
        return n

    def update_mem(self, updates: Dict, deletes: Iterable = ()) -> "State":
        n = self.copy()
        m = dict(self.mem)
        for k in deletes:
            m.pop(k, None)
        m.update(updates)
        n.mem = m
        n._fmem = None
        return n

    def set_heap(self, hid: int, obj: Heap) -> "State":
        n = self.copy()
        h = dict(self.heap)
        h[hid] = obj
        n.heap = h
        return n

    def _with_entry(self, table: str, key, value) -> "State":
        """A copy with `key` set to `value` in the dict attribute `table` (removed when None)."""
        n = self.copy()
        d = dict(getattr(self, table))
        if value is None:
            d.pop(key, None)
        else:
            d[key] = value
        setattr(n, table, d)
        return n

    def set_res(self, key, r: Optional[Res]) -> "State":
        return self._with_entry("res", key, r)

    def set_shadow(self, key, hid: Optional[int]) -> "State":
        return self._with_entry("shadow", key, hid)

    def with_flag(self, flag, on: bool = True) -> "State":
        n = self.copy()
        n.flags = self.flags | {flag} if on else self.flags - {flag}
        return n

    def fresh(self) -> Tuple[int, "State"]:
        n = self.copy()
        n.cnt = self.cnt + 1
        return self.cnt, n

    def note(self, loc: ir.Location, message: str, kind: str = "statement") -> "State":
        if len(self.trace) >= MAX_TRACE:
            return self
        n = self.copy()
        n.trace = self.trace + (PathStep(loc, message, kind),)
        return n

    def forked(self) -> "State":
        n = self.copy()
        n.forks = self.forks + 1
        return n

    # -------------------------------------------------- path condition
    def constrain(self, sym: int, eq=None, ne=None) -> Optional["State"]:
        """Add sym == eq or sym != ne; None when that contradicts the path condition."""
        cur_eq, cur_ne = self.pc.get(sym, (None, frozenset()))
        if eq is not None:
            if cur_eq is not None:
                return self if cur_eq == eq else None
            if eq in cur_ne:
                return None
            new = (eq, frozenset())
        else:
            if cur_eq is not None:
                return None if cur_eq == ne else self
            if ne in cur_ne:
                return self
            new = (None, cur_ne | {ne})
        n = self.copy()
        pc = dict(self.pc)
        pc[sym] = new
        n.pc = pc
        return n

    def sym_value(self, sym: int) -> Optional[int]:
        c = self.pc.get(sym)
        return c[0] if c else None

    def sym_excludes(self, sym: int, value: int) -> bool:
        c = self.pc.get(sym)
        if not c:
            return False
        return (c[0] is not None and c[0] != value) or value in c[1]

    # -------------------------------------------------- keys
    def mkey(self):
        """Everything but the path condition, trace and counters: states equal under it merge."""
        if self._mkey is None:
            if self._fmem is None:
                self._fmem = frozenset(self.mem.items())
            self._mkey = (self._fmem, frozenset(self.heap.items()),
                          frozenset(self.res.items()), frozenset(self.shadow.items()),
                          self.locks, self.flags)
        return self._mkey

    def key(self):
        if self._key is None:
            self._key = (self.mkey(), frozenset(self.pc.items()), self.cnt)
        return self._key


def _join_pc(a: Dict, b: Dict) -> Dict:
    out = {}
    for sym, (ea, na) in a.items():
        if sym not in b:
            continue
        eb, nb = b[sym]
        if ea is not None and eb is not None:
            if ea == eb:
                out[sym] = (ea, frozenset())
        elif ea is not None:
            ne = nb - {ea}
            if ne:
                out[sym] = (None, ne)
        elif eb is not None:
            ne = na - {eb}
            if ne:
                out[sym] = (None, ne)
        else:
            ne = na & nb
            if ne:
                out[sym] = (None, ne)
    return out


def _event_key(e: Event):
    return (e.kind, e.loc, tuple(sorted((k, repr(v)) for k, v in e.data.items())))


def join(a: State, b: State) -> State:
    """The union of two paths with the same store: the weaker path condition, the shorter witness."""
    best, other = (a, b) if (len(a.trace), a.nstmt) <= (len(b.trace), b.nstmt) else (b, a)
    n = best.copy()
    if a.pc != b.pc:
        n.pc = _join_pc(a.pc, b.pc)
    n.cnt = max(a.cnt, b.cnt)
    n.forks = max(a.forks, b.forks)
    if other.events and other.events is not best.events:
        x, y = best.events, other.events
        i = 0
        while i < len(x) and i < len(y) and x[i] is y[i]:
            i += 1
        if i < len(y):
            seen = {_event_key(e) for e in x[i:]}
            extra = tuple(e for e in y[i:] if _event_key(e) not in seen)
            n.events = x + extra
    return n


def _same_store(a: State, b: State) -> bool:
    return (a.mem is b.mem or a.mem == b.mem) and a.heap == b.heap and a.res == b.res and \
        a.shadow == b.shadow and a.locks == b.locks and a.flags == b.flags


def merge(states: List[State]) -> List[State]:
    """Merge paths whose stores are equal (their path conditions are joined); order kept."""
    if len(states) < 2:
        return states
    if len(states) == 2:
        a, b = states
        return [join(a, b)] if _same_store(a, b) else states
    out: List[State] = []
    index: Dict = {}
    for s in states:
        k = s.mkey()
        j = index.get(k)
        if j is None:
            index[k] = len(out)
            out.append(s)
        else:
            out[j] = join(out[j], s)
    return out


# ------------------------------------------------------------------ step context

class Binding:
    """What a hook's `obj` argument is during one lifecycle call."""

    def __init__(self, patch_index: int, obj_index: int, label: str, name: Optional[str],
                 mod_null: bool, state: Optional[str]):
        self.patch_index = patch_index
        self.obj_index = obj_index
        self.label = label
        self.name = name
        self.mod_null = mod_null
        self.state = state

    @property
    def region(self):
        return ("obj", self.patch_index, self.obj_index)


class StepCtx:
    """Facts about the code being run now: which lifecycle step, which role, which obj."""

    def __init__(self, role: str, function: Optional[str], binding: Optional[Binding] = None,
                 in_hook: bool = False, atomic: int = 0, cnt0: int = 0, desc: str = "",
                 enable=None, patch=None):
        self.role = role                # pre_patch ... | patch_hook | lp_init | lp_exit | ctor | dtor
        self.function = function
        self.binding = binding
        self.in_hook = in_hook          # the core called it with klp_mutex held
        self.atomic = atomic            # > 0: a shadow ctor/dtor (spinlock held, irqs off)
        self.cnt0 = cnt0                # resources with an id >= cnt0 were taken during this step
        self.desc = desc
        self.enable = enable            # lp_init: callback running the core's enable steps
        self.patch = patch              # the model.Patch of the scenario
        self.target_syms: Dict[int, str] = {}   # symbols read from the target's data before its init


class Frame:
    __slots__ = ("depth", "fn", "types")

    def __init__(self, depth: int, fn: ir.FunctionDecl, types: Dict[str, ir.Type]):
        self.depth = depth
        self.fn = fn
        self.types = types


# ------------------------------------------------------------------ the executor

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

LOOP_HARD_CAP = 64      # iterations of a loop whose condition stays decided (no fork)


class Executor:
    """Runs IR bodies over States. One executor per module analysis; `ctx` is set per step."""

    def __init__(self, module, budgets, kapi_lookup, deadline: Optional[float] = None):
        self.module = module
        self.budgets = budgets
        self.kapi = kapi_lookup
        self.deadline = deadline
        self.ctx: Optional[StepCtx] = None
        self.stmts = 0
        self._types: Dict[str, Dict[str, ir.Type]] = {}
        self._static_locals: Dict[Tuple[str, str], ir.VarDecl] = {}
        self._labels: Dict[int, Dict[str, int]] = {}
        self._cases: Dict[int, list] = {}
        self._assigned: Dict[int, Tuple] = {}
        self.side_events: List[Event] = []
        self.cut_noted: set = set()
        self.shadow_frees: List[Tuple] = []        # (shadow id, role) of every klp_shadow_free*()
        self.unsure_globals: set = set()          # globals other code may change between steps
        self.compares: List[Tuple] = []           # (loc, constant, role, function): obj->mod->state tests
        self.executed_calls: Dict[Tuple, set] = {}  # (callee, loc) -> roles it ran in
        self.extern_vars = {n for n, v in module.variables.items() if v.storage == "extern"}
        for f in module.functions.values():
            if f.body is None:
                continue
            for n in _walk_decls(f.body):
                if n.storage == "static":
                    self._static_locals[(f.name, n.name)] = n

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
        if self.deadline is not None and (self.stmts & 127) == 0 and time.monotonic() > self.deadline:
            raise Budget(f"the analysis of this file took more than {self.budgets.file_seconds:g} s", "time")
        n = s.copy()
        n.nstmt = s.nstmt + 1
        return n

    def event(self, s: State, event_kind: str, loc: ir.Location, **data) -> State:
        if "incomplete" in s.flags and event_kind != "incomplete":
            return s
        ctx = self.ctx
        ev = Event(event_kind, loc, data, s.trace, s.nstmt, ctx.function if ctx else None,
                   ctx.role if ctx else None, None)
        n = s.copy()
        n.events = s.events + (ev,)
        return n

    def crash(self, s: State) -> list:
        """The path ends here (a NULL dereference, BUG()): what happened on it still counts."""
        self.side_events.extend(s.events)
        return []

    def incomplete(self, s: State, loc: ir.Location, reason: str, taint: bool = True) -> State:
        s = self.event(s, "incomplete", loc, reason=reason)
        return s.with_flag("incomplete") if taint else s

    def fresh_sym(self, s: State):
        n, s = s.fresh()
        return ("S", n), s

    # ================================================== memory
    def region_of_name(self, e: ir.Name, fr: Frame):
        if e.kind in ("local", "param"):
            return ("l", fr.depth, e.name)
        if e.kind == "static_local":
            return ("sl", fr.fn.name, e.name)
        if e.kind == "var":
            return ("g", e.name)
        # unknown kind: a local if the frame declares it, else a global
        if e.name in fr.types:
            return ("l", fr.depth, e.name)
        return ("g", e.name)

    def load(self, s: State, key) -> Tuple[tuple, State]:
        v = s.mem.get(key)
        if v is not None:
            return v, s
        region, path = key
        for i in range(len(path) + 1):
            if (region, path[:i] + ("#h",)) in s.mem:
                return self._stable_unknown(s, key)
        kind = region[0]
        if kind == "g":
            return self._static_default(s, key, self.module.variables.get(region[1]))
        if kind == "sl":
            return self._static_default(s, key, self._static_locals.get((region[1], region[2])))
        if kind == "l":
            for i in range(len(path) + 1):
                if (region, path[:i] + ("#z",)) in s.mem:
                    return ZERO, s
            return self._stable_unknown(s, key)
        if kind == "h":
            obj = s.heap.get(region[1])
            if obj is not None and obj.zeroed:
                return ZERO, s
            return self._stable_unknown(s, key)
        if kind == "obj":
            return self._obj_field(s, key)
        if kind == "mod":
            return self._mod_field(s, key)
        return self._stable_unknown(s, key)

    def _stable_unknown(self, s: State, key):
        sym, s = self.fresh_sym(s)
        return sym, s.set_mem(key, sym)

    def _static_default(self, s: State, key, decl: Optional[ir.VarDecl]):
        region, path = key
        if decl is None or (decl.storage == "extern" and decl.init is None):
            sym, s = self._stable_unknown(s, key)
            ctx = self.ctx
            if decl is not None and ctx is not None and ctx.binding is not None \
                    and ctx.binding.state == "COMING" and ctx.role in ("patch_hook", "pre_patch", "post_patch") \
                    and region[0] == "g" and not path:
                ctx.target_syms[sym[1]] = region[1]
            return sym, s
        v = self._init_value(decl.init, decl.type, path)
        if v is _AGG:
            return P(region, path), s
        if v is None:
            return self._stable_unknown(s, key)
        return v, s

    def _init_value(self, init: Optional[ir.Expr], t: Optional[ir.Type], path: Tuple):
        """The value an initializer gives the element at `path`: a value, _AGG for an aggregate
        (its address is used), or None when klplint cannot tell."""
        for el in path:
            if init is None:
                return ZERO
            init = strip(init)
            if isinstance(init, ir.Cast) and isinstance(init.operand, ir.InitList):
                init = init.operand
            if isinstance(init, ir.StrLit) and isinstance(el, int):
                return None
            if not isinstance(init, ir.InitList):
                return None
            init, t = self._init_item(init, t, el)
            if init is _UNKNOWN:
                return None
        if init is None:
            return ZERO
        e = strip(init)
        if isinstance(e, ir.Cast) and isinstance(e.operand, ir.InitList):
            e = e.operand
        if isinstance(e, ir.InitList):
            if t is not None and t.kind in ("array", "struct", "union"):
                return _AGG
            if len(e.items) == 1 and not e.items[0].designators:      # `int x = { 3 };`
                return self.static_value(e.items[0].value)
            return _AGG if e.items else ZERO
        if t is not None and t.kind == "array" and isinstance(e, ir.StrLit):
            return _AGG
        return self.static_value(init)

    def _init_item(self, init: ir.InitList, t: Optional[ir.Type], el):
        sub_t = t.target if (t is not None and t.kind == "array") else None
        fields_ = ()
        if t is not None and t.kind in ("struct", "union") and t.name:
            fields_ = self.module.unit.record_fields(t.name)
        found = None
        deeper: List[ir.InitItem] = []
        pos = 0
        for item in init.items:
            if item.designators:
                d0 = item.designators[0]
                if isinstance(d0, str) and d0 in fields_:
                    pos = fields_.index(d0) + 1
                elif isinstance(d0, int):
                    pos = d0 + 1
                else:
                    pos = -1
                if d0 == el:
                    if len(item.designators) > 1:
                        deeper.append(ir.InitItem(item.designators[1:], item.value))
                    else:
                        found, deeper = item.value, []
                continue
            if pos < 0:
                continue
            here = pos if isinstance(el, int) or not fields_ else (fields_[pos] if pos < len(fields_) else None)
            if isinstance(el, str) and not fields_:
                return _UNKNOWN, None   # positional struct initializer whose layout we do not know
            if here == el:
                found, deeper = item.value, []
            pos += 1
        if deeper:
            return ir.InitList(init.loc, tuple(deeper)), sub_t
        return found, sub_t

    def static_value(self, e: Optional[ir.Expr]):
        """The value of a constant initializer expression, or None."""
        c = const_int(e)
        if c is not None:
            return I(c)
        e = strip(e)
        if isinstance(e, ir.StrLit):
            return P(("str", e.value))
        if isinstance(e, ir.Name):
            if e.kind == "func":
                return fn_value(e.name)
            decl = self.module.variables.get(e.name)
            if decl is not None and decl.type.kind == "array":
                return P(("g", e.name))
            return None
        if isinstance(e, ir.Unary) and e.op == "&":
            return self._static_addr(e.operand)
        return None

    def _static_addr(self, e):
        e = strip(e)
        if isinstance(e, ir.Name):
            if e.kind == "func":
                return fn_value(e.name)
            return P(("g", e.name))
        if isinstance(e, ir.Member) and not e.arrow:
            base = self._static_addr(e.base)
            return P(base[1], base[2] + (e.field,)) if base else None
        if isinstance(e, ir.Index):
            k = const_int(e.index)
            base = self._static_addr(e.base)
            return P(base[1], base[2] + (k,)) if base and k is not None else None
        return None

    def _obj_field(self, s: State, key):
        region, path = key
        b = self.ctx.binding if self.ctx else None
        if b is None or b.region != region or len(path) != 1:
            return self._stable_unknown(s, key)
        f = path[0]
        if f == "name":
            if b.name is None:
                return I(0, ("objname", b.label)), s
            return P(("str", b.name)), s
        if f == "mod":
            if b.mod_null:
                return I(0, ("objmod", b.label)), s
            return P(("mod", b.name)), s
        return self._stable_unknown(s, key)

    def _mod_field(self, s: State, key):
        region, path = key
        b = self.ctx.binding if self.ctx else None
        if len(path) == 1 and path[0] == "name":
            return P(("str", region[1])), s
        if len(path) == 1 and path[0] == "state" and b is not None and b.name == region[1] and b.state:
            return I(MODULE_STATES[b.state], ("modstate",)), s
        return self._stable_unknown(s, key)

    def store(self, s: State, key, value, text: Optional[str] = None) -> State:
        if key is None:
            return self.escape(s, value)
        kind = key[0][0]
        if kind in ("obj", "mod", "str", "fn"):
            return self.escape(s, value)
        s = s.set_mem(key, value)
        hid = heap_id(value)
        if hid is not None:
            obj = s.heap.get(hid)
            if obj is not None and text and (obj.name is None or obj.name.startswith("__")) and obj.name != text:
                s = s.set_heap(hid, obj._replace(name=text))
        if kind == "s":
            s = self.escape(s, value)
        return s

    def clear_region(self, s: State, region, path=(), havoc: bool = False, zero: bool = False) -> State:
        """Forget what is stored under (region, path...); later reads give unknown (havoc), zero,
        or the region's default."""
        n = len(path)
        dels = [k for k in s.mem if k[0] == region and k[1][:n] == path]
        ups = {}
        if havoc:
            ups[(region, path + ("#h",))] = ONE
        if zero:
            ups[(region, path + ("#z",))] = ONE
        if not dels and not ups:
            return s
        return s.update_mem(ups, dels)

    # ---------------------------------------------- reachability and escape
    def _region_edges(self, s: State):
        edges: Dict = {}
        for (region, _), v in s.mem.items():
            if v[0] == "P":
                edges.setdefault(region, []).append(v[1])
        return edges

    def reachable_regions(self, s: State, start: Iterable, edges=None) -> set:
        edges = edges if edges is not None else self._region_edges(s)
        seen = set()
        todo = list(start)
        while todo:
            r = todo.pop()
            if r in seen:
                continue
            seen.add(r)
            todo.extend(edges.get(r, ()))
        return seen

    def escape(self, s: State, value) -> State:
        """`value` leaves what klplint can see: the heap objects and resources reachable from it stop
        being tracked, and memory behind it may have been changed."""
        if value[0] != "P":
            return s
        region, path = value[1], value[2]
        kind = region[0]
        if kind in ("fn", "str", "obj", "mod"):
            return s
        regions = self.reachable_regions(s, [region])
        heap = None
        for r in regions:
            if r[0] == "h":
                obj = s.heap.get(r[1])
                if obj is not None and not obj.escaped:
                    heap = heap if heap is not None else dict(s.heap)
                    heap[r[1]] = obj._replace(escaped=True)
        res = None
        for k, r in s.res.items():
            kr = k[1] if isinstance(k, tuple) and len(k) > 1 else None
            if isinstance(kr, tuple) and len(kr) == 2 and kr[0] in regions and r.status == "held":
                res = res if res is not None else dict(s.res)
                res[k] = r._replace(status="escaped")
        if heap is not None or res is not None:
            s = s.copy()
            if heap is not None:
                s.heap = heap
            if res is not None:
                s.res = res
        if kind in ("g", "sl", "l", "h", "s"):
            s = self.clear_region(s, region, path, havoc=True)
        return s

    # ================================================== statements
    def exec_stmt(self, st: ir.Stmt, s: State, fr: Frame) -> List[Tuple]:
        s = self.tick(s)
        t = type(st)
        if t is ir.Compound:
            return self.exec_block(st.body, 0, s, fr, st)
        if t is ir.ExprStmt:
            return [("n", s2, None) for _, s2 in self.ev(st.expr, s, fr)]
        if t is ir.DeclStmt:
            states = [s]
            for d in st.vars:
                states = [x for y in states for x in self.exec_decl(d, y, fr)]
            return [("n", x, None) for x in states]
        if t is ir.If:
            ts, fs = self.branch(st.cond, s, fr)
            out = []
            for x in ts:
                out += self.exec_stmt(st.then, x, fr)
            for x in fs:
                if st.other is not None:
                    out += self.exec_stmt(st.other, x, fr)
                else:
                    out.append(("n", x, None))
            return self._merge_outcomes(out)
        if t is ir.Return:
            if st.value is None:
                return [("r", s, (None, st))]
            return [("r", s2, (v, st)) for v, s2 in self.ev(st.value, s, fr)]
        if t is ir.While:
            return self.exec_loop(st, s, fr, st.cond, st.body, None, False)
        if t is ir.DoWhile:
            return self.exec_loop(st, s, fr, st.cond, st.body, None, True)
        if t is ir.For:
            states = [s]
            if st.init is not None:
                outs = self.exec_stmt(st.init, s, fr)
                states = [x for k, x, _ in outs if k == "n"]
            out = []
            for x in states:
                out += self.exec_loop(st, x, fr, st.cond, st.body, st.step, False)
            return out
        if t is ir.Switch:
            return self.exec_switch(st, s, fr)
        if t is ir.Case or t is ir.Default:
            return self.exec_stmt(st.body, s, fr)
        if t is ir.Label:
            return self.exec_stmt(st.body, s, fr)
        if t is ir.Goto:
            return [("g", s, st.label)]
        if t is ir.Break:
            return [("b", s, None)]
        if t is ir.Continue:
            return [("c", s, None)]
        if t is ir.Empty:
            return [("n", s, None)]
        if t is ir.UnsupportedStmt:
            return [("n", self.incomplete(s, st.loc, f"unsupported statement {st.what}"), None)]
        return [("n", self.incomplete(s, st.loc, f"unsupported statement {type(st).__name__}"), None)]

    def _merge_outcomes(self, out: List[Tuple]) -> List[Tuple]:
        normal = [x for k, x, _ in out if k == "n"]
        if len(normal) < 2:
            return out
        rest = [o for o in out if o[0] != "n"]
        return [("n", x, None) for x in merge(normal)] + rest

    def exec_decl(self, d: ir.VarDecl, s: State, fr: Frame) -> List[State]:
        if d.storage in ("static", "extern"):
            return [s]
        region = ("l", fr.depth, d.name)
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

    def _flatten_init(self, init: ir.InitList, region, path, s: State, fr: Frame, t) -> List[State]:
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

    def exec_block(self, block: Tuple[ir.Stmt, ...], start: int, s: State, fr: Frame, owner=None) -> List[Tuple]:
        labels = self._labels_of(block)
        pending: Dict[int, List[State]] = {start: [s]}
        out: List[Tuple] = []
        n = len(block)
        while pending:
            i = min(pending)
            states = merge(pending.pop(i))
            if len(states) > self.budgets.max_paths:
                states = states[: self.budgets.max_paths]
                self.paths_cut(states, block[min(i, n - 1)].loc)
            if i >= n:
                out += [("n", x, None) for x in states]
                continue
            st = block[i]
            for x in states:
                for k, x2, pl in self.exec_stmt(st, x, fr):
                    if k == "n":
                        pending.setdefault(i + 1, []).append(x2)
                    elif k == "g" and pl in labels:
                        t = labels[pl]
                        if t <= i:
                            x2 = self._backward_goto(x2, pl, st.loc)
                            if x2 is None:
                                continue
                        pending.setdefault(t, []).append(x2)
                    else:
                        out.append((k, x2, pl))
        return out

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

    def exec_switch(self, st: ir.Switch, s: State, fr: Frame) -> List[Tuple]:
        body = st.body.body if isinstance(st.body, ir.Compound) else (st.body,)
        cases = self._cases.get(id(body))
        if cases is None:
            cases = []
            for i, x in enumerate(body):
                while isinstance(x, (ir.Case, ir.Default, ir.Label)):
                    if isinstance(x, ir.Case):
                        cases.append((i, const_int(x.value), x.loc))
                    elif isinstance(x, ir.Default):
                        cases.append((i, "default", x.loc))
                    x = x.body
            self._cases[id(body)] = cases
        out: List[Tuple] = []
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
                    ts, fs = self.compare("==", v, I(c), x, loc)
                    for y in ts:
                        out += self._switch_from(body, i, y, fr)
                    new_rest += fs
                rest = new_rest
            for x in rest:
                if default_i is not None:
                    out += self._switch_from(body, default_i, x, fr)
                else:
                    out.append(("n", x, None))
        return self._merge_outcomes(out)

    def _switch_from(self, body, i, s, fr):
        res = []
        for k, x, pl in self.exec_block(body, i, s, fr):
            res.append(("n", x, None) if k == "b" else (k, x, pl))
        return res

    def _assigned_roots(self, st) -> Tuple:
        key = id(st)
        r = self._assigned.get(key)
        if r is None:
            names = []
            for n in _walk(st):
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
            s = self.escape(s, P(region))
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

    def exec_loop(self, st, s: State, fr: Frame, cond, body, step, do_first: bool) -> List[Tuple]:
        out: List[Tuple] = []
        current = [(s, 0, s.forks, s.cnt)]
        unroll = self.budgets.loop_unroll
        while current:
            nxt = []
            for x, it, f0, c0 in current:
                if it > 0 or not do_first:
                    if it >= unroll and (x.forks > f0 or it >= LOOP_HARD_CAP):
                        if it >= LOOP_HARD_CAP and x.forks == f0:
                            self.drop_incomplete(x, st.loc, f"loop runs more than {LOOP_HARD_CAP} iterations")
                        w = self._widen(st, x, fr, c0)
                        ts, fs = self.branch(cond, w, fr) if cond is not None else ([], [])
                        out += [("n", y, None) for y in fs]
                        continue
                    if cond is None:
                        ts, fs = [x], []
                    else:
                        ts, fs = self.branch(cond, x, fr)
                    out += [("n", y, None) for y in fs]
                else:
                    ts = [x]
                for y in ts:
                    for k, y2, pl in self.exec_stmt(body, y, fr):
                        if k in ("n", "c"):
                            if step is not None:
                                for _, y3 in self.ev(step, y2, fr):
                                    nxt.append((y3, it + 1, f0, c0))
                            else:
                                nxt.append((y2, it + 1, f0, c0))
                        elif k == "b":
                            out.append(("n", y2, None))
                        else:
                            out.append((k, y2, pl))
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
            if len(nxt) > self.budgets.max_paths:
                nxt = nxt[: self.budgets.max_paths]
                kept = [x for x, _, _, _ in nxt]
                self.paths_cut(kept, st.loc)
                nxt = [(k,) + x[1:] for k, x in zip(kept, nxt)]
            current = nxt
        return self._merge_outcomes(out)

    # ================================================== conditions
    def truth(self, v, s: State) -> Tuple[List[State], List[State]]:
        k = v[0]
        if k == "I":
            return ([s], []) if v[1] != 0 else ([], [s])
        if k == "P":
            return [s], []
        sym = v[1]
        t = s.constrain(sym, ne=0)
        f = s.constrain(sym, eq=0)
        if t is not None and f is not None:
            t, f = t.forked(), f.forked()
        return ([t] if t is not None else []), ([f] if f is not None else [])

    def branch(self, e: ir.Expr, s: State, fr: Frame) -> Tuple[List[State], List[State]]:
        while isinstance(e, ir.Cast):
            e = e.operand
        if isinstance(e, ir.Unary) and e.op == "!":
            t, f = self.branch(e.operand, s, fr)
            return f, t
        if isinstance(e, ir.Binary):
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
        if isinstance(e, ir.Call) and e.callee_name in ("__builtin_expect", "__builtin_expect_with_probability",
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

    def compare(self, op: str, a, b, s: State, loc) -> Tuple[List[State], List[State]]:
        if self.ctx is not None:
            for x, y in ((a, b), (b, a)):
                if x[0] == "I" and x[2] == ("modstate",) and y[0] == "I":
                    self.compares.append((loc, y[1], self.ctx.role, self.ctx.function, op))
        ka, kb = a[0], b[0]
        if ka == "I" and kb == "I":
            r = _REL[op](a[1], b[1])
            return ([s], []) if r else ([], [s])
        if ka == "S" and kb == "I" or ka == "I" and kb == "S":
            if ka == "I":
                a, b, op = b, a, _SWAP[op]
            sym, c = a[1], b[1]
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
            t, f = s.forked(), s.forked()
            return [t], [f]
        if ka == "S" and kb == "S":
            if a[1] == b[1]:
                r = op in ("==", "<=", ">=")
                return ([s], []) if r else ([], [s])
            t, f = s.forked(), s.forked()
            return [t], [f]
        if ka == "P" and kb == "P":
            if op in ("==", "!="):
                ra, rb = a[1], b[1]
                if ra == rb and a[2] == b[2]:
                    return ([s], []) if op == "==" else ([], [s])
                unknown = "s" in (ra[0], rb[0]) or (ra == rb and _zero_tail(a[2]) == _zero_tail(b[2]))
                if not unknown:
                    return ([], [s]) if op == "==" else ([s], [])
            t, f = s.forked(), s.forked()
            return [t], [f]
        # pointer against an integer: a pointer to an object is not NULL nor an error value
        if (ka == "P" and kb == "I") or (ka == "I" and kb == "P"):
            if ka == "I":
                a, b, op = b, a, _SWAP[op]
            if op in ("==", "!="):
                r = op == "!="
                return ([s], []) if r else ([], [s])
            if b[1] < 0 or b[1] > 0xFFFF_FFFF_FFFF_F000:   # IS_ERR_VALUE-style tests
                r = op in ("<", "<=", "!=")
                return ([s], []) if r else ([], [s])
        t, f = s.forked(), s.forked()
        return [t], [f]

    # ================================================== expressions
    def ev(self, e: ir.Expr, s: State, fr: Frame) -> List[Tuple[tuple, State]]:
        t = type(e)
        if t is ir.IntLit:
            return [(I(e.value), s)]
        if t is ir.Name:
            return self.ev_name(e, s, fr)
        if t is ir.Cast:
            out = self.ev(e.operand, s, fr)
            if e.type.kind == "bool":
                res = []
                for v, x in out:
                    if v[0] == "P":
                        res.append((ONE, x))
                    elif v[0] == "I":
                        res.append((I(int(v[1] != 0)), x))
                    else:
                        res.append((v, x))
                return res
            return out
        if t is ir.StrLit:
            return [(P(("str", e.value)), s)]
        if t is ir.Member or t is ir.Index:
            out = []
            for key, s1 in self.addr(e, s, fr, for_read=True):
                if key is None:
                    v, s1 = self.fresh_sym(s1)
                    out.append((v, s1))
                else:
                    out.append(self.load(s1, key))
            return out
        if t is ir.Call:
            return self.ev_call(e, s, fr)
        if t is ir.Unary:
            return self.ev_unary(e, s, fr)
        if t is ir.Binary:
            return self.ev_binary(e, s, fr)
        if t is ir.Assign:
            return self.ev_assign(e, s, fr)
        if t is ir.Cond:
            ts, fs = self.branch(e.cond, s, fr)
            out = []
            for x in ts:
                out += self.ev(e.then, x, fr)
            for x in fs:
                out += self.ev(e.other, x, fr)
            return out
        if t is ir.SizeOf:
            if e.value is not None:
                return [(I(e.value), s)]
            v, s = self.fresh_sym(s)
            return [(v, s)]
        if t is ir.StmtExpr:
            return self.ev_stmt_expr(e, s, fr)
        if t is ir.InitList:
            v, s = self.fresh_sym(s)
            return [(v, s)]
        if t is ir.Unsupported:
            s = self.incomplete(s, e.loc, f"unsupported expression {e.what}")
            v, s = self.fresh_sym(s)
            return [(v, s)]
        v, s = self.fresh_sym(s)
        return [(v, self.incomplete(s, e.loc, f"unsupported expression {t.__name__}"))]

    def ev_name(self, e: ir.Name, s: State, fr: Frame):
        if e.kind == "enum":
            return [(I(e.value if e.value is not None else 0), s)]
        if e.kind == "func":
            return [(fn_value(e.name), s)]
        region = self.region_of_name(e, fr)
        typ = self._name_type(e, fr)
        if typ is not None and typ.kind in ("array", "func"):
            if typ.kind == "func":
                return [(fn_value(e.name), s)]
            return [(P(region), s)]
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
        outs = self.exec_block(head, 0, s, fr) if head else [("n", s, None)]
        res = []
        for k, x, pl in outs:
            if k != "n":
                x = self.incomplete(x, e.loc, "control flow leaving a statement expression")
                v, x = self.fresh_sym(x)
                res.append((v, x))
                continue
            if isinstance(last, ir.ExprStmt):
                res += self.ev(last.expr, self.tick(x), fr)
            else:
                res.append((ZERO, x))
        return res

    def ev_unary(self, e: ir.Unary, s: State, fr: Frame):
        op = e.op
        if op == "&":
            return self.ev_addr_of(e.operand, s, fr)
        if op == "*":
            out = []
            for key, s1 in self.addr(e, s, fr, for_read=True):
                if key is None:
                    v, s1 = self.fresh_sym(s1)
                    out.append((v, s1))
                else:
                    out.append(self.load(s1, key))
            return out
        if op in ("++pre", "--pre", "post++", "post--"):
            out = []
            delta = 1 if "++" in op else -1
            for key, s1 in self.addr(e.operand, s, fr):
                if key is None:
                    v, s1 = self.fresh_sym(s1)
                    out.append((v, s1))
                    continue
                old, s1 = self.load(s1, key)
                if old[0] == "I":
                    new = I(old[1] + delta)
                else:
                    new, s1 = self.fresh_sym(s1)
                s1 = self.store(s1, key, new)
                out.append((new if op.endswith("pre") else old, s1))
            return out
        if op == "!":
            ts, fs = self.branch(e.operand, s, fr)
            return [(ZERO, x) for x in ts] + [(ONE, x) for x in fs]
        out = []
        for v, s1 in self.ev(e.operand, s, fr):
            if v[0] == "I":
                r = {"-": -v[1], "+": v[1], "~": ~v[1]}.get(op)
                if r is not None:
                    origin = v[2] if op == "+" else None
                    out.append((I(r, origin), s1))
                    continue
            sym, s1 = self.fresh_sym(s1)
            out.append((sym, s1))
        return out

    def ev_addr_of(self, operand, s: State, fr: Frame):
        operand = strip(operand) if isinstance(operand, ir.Cast) else operand
        if isinstance(operand, ir.Name) and operand.kind == "func":
            return [(fn_value(operand.name), s)]
        out = []
        for key, s1 in self.addr(operand, s, fr, for_read=None):
            if key is None:
                v, s1 = self.fresh_sym(s1)
                out.append((v, s1))
            elif key[0] == "null":
                out.append((key[1], s1))
            else:
                out.append((P(key[0], key[1]), s1))
        return out

    def ev_binary(self, e: ir.Binary, s: State, fr: Frame):
        op = e.op
        if op in ("&&", "||"):
            ts, fs = self.branch(e, s, fr)
            return [(ONE, x) for x in ts] + [(ZERO, x) for x in fs]
        if op == ",":
            out = []
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

    def arith(self, op: str, a, b, s: State):
        if a[0] == "I" and b[0] == "I":
            f = _ARITH.get(op)
            r = f(a[1], b[1]) if f else None
            if r is not None:
                return I(r), s
        if a[0] == "P" and b[0] == "I" and op in ("-", "+"):
            path = a[2]
            if op == "-" and b[1] >= 0:
                # container_of(): back from a member to the structure holding it
                if path and isinstance(path[-1], str):
                    return P(a[1], path[:-1]), s
                if not path:
                    return P(a[1], (("up",),)), s
            if b[1] == 0:
                return a, s
        if a[0] == "I" and b[0] == "P" and op == "+" and a[1] == 0:
            return b, s
        v, s = self.fresh_sym(s)
        return v, s

    def ev_assign(self, e: ir.Assign, s: State, fr: Frame):
        out = []
        text = c_text(e.target)
        for key, s1 in self.addr(e.target, s, fr):
            for v, s2 in self.ev(e.value, s1, fr):
                if e.op != "=":
                    if key is None:
                        old, s2 = self.fresh_sym(s2)
                    else:
                        old, s2 = self.load(s2, key)
                    v, s2 = self.arith(e.op[:-1], old, v, s2)
                out.append((v, self.store(s2, key, v, text)))
        return out

    # ---------------------------------------------- lvalues
    def addr(self, e: ir.Expr, s: State, fr: Frame, for_read: Optional[bool] = False) -> List[Tuple]:
        """Locations an lvalue designates: (key, state); key None for memory klplint cannot name.
        for_read None: only the address is taken (`&p->f`), so a NULL base is no dereference."""
        t = type(e)
        if t is ir.Name:
            if e.kind == "func":
                return [(None, s)]
            return [((self.region_of_name(e, fr), ()), s)]
        if t is ir.Cast:
            return self.addr(e.operand, s, fr, for_read)
        if t is ir.Member:
            if not e.arrow:
                out = []
                for key, s1 in self.addr(e.base, s, fr, for_read):
                    out.append((self._sub(key, e.field), s1))
                return out
            out = []
            for v, s1 in self.ev(e.base, s, fr):
                out += self.deref(v, s1, e, e.field, for_read)
            return out
        if t is ir.Index:
            out = []
            for base_key, s1 in self._index_base(e.base, s, fr, for_read, e):
                for iv, s2 in self.ev(e.index, s1, fr):
                    if base_key is None:
                        out.append((None, s2))
                        continue
                    if base_key[0] == "null":
                        out.append((base_key, s2))
                        continue
                    if iv[0] == "I":
                        out.append(((base_key[0], base_key[1] + (iv[1],)), s2))
                    else:
                        if for_read is False:   # a write at an unknown index: the array is unknown now
                            s2 = self.clear_region(s2, base_key[0], base_key[1], havoc=True)
                        out.append((None, s2))
            return out
        if t is ir.Unary and e.op == "*":
            out = []
            for v, s1 in self.ev(e.operand, s, fr):
                out += self.deref(v, s1, e, None, for_read)
            return out
        if t is ir.Call or t is ir.StmtExpr or t is ir.Cond or t is ir.Binary or t is ir.Unary or t is ir.Assign:
            # an rvalue used as an lvalue base (e.g. `*foo()`): evaluate for effects
            return [(None, x) for _, x in self.ev(e, s, fr)]
        return [(None, s)]

    def _sub(self, key, field):
        if key is None:
            return None
        if key[0] == "null":
            return key
        region, path = key
        if path and path[-1] == ("up",):
            return (region, path[:-1])
        return (region, path + (field,))

    def _index_base(self, base: ir.Expr, s: State, fr: Frame, for_read, e):
        """An indexed expression: arrays are indexed in place, pointers through their value."""
        b = strip(base) if isinstance(base, ir.Cast) else base
        if isinstance(b, ir.Name):
            typ = self._name_type(b, fr)
            if typ is not None and typ.kind == "array":
                return self.addr(b, s, fr, for_read)
            out = []
            for v, s1 in self.ev(b, s, fr):
                out += self.deref(v, s1, e, None, for_read)
            return out
        if isinstance(b, (ir.Member, ir.Index)):
            out = []
            for key, s1 in self.addr(b, s, fr, for_read):
                if key is None or key[0] == "null":
                    out.append((key, s1))
                    continue
                stored = s1.mem.get(key)
                if stored is not None and stored[0] in ("P", "S", "I"):
                    out += self.deref(stored, s1, e, None, for_read)
                else:
                    out.append((key, s1))
            return out
        out = []
        for v, s1 in self.ev(base, s, fr):
            out += self.deref(v, s1, e, None, for_read)
        return out

    def deref(self, v, s: State, e: ir.Expr, field, for_read) -> List[Tuple]:
        """Dereference pointer value v (then select `field`): NULL ends the path with an event."""
        k = v[0]
        if k == "P":
            region, path = v[1], v[2]
            if region[0] == "h":
                obj = s.heap.get(region[1])
                if obj is not None and obj.status == "released" and for_read is not None:
                    s = self.event(s, "use_after_release", e.loc, heap=obj, what=c_text(e))
            key = (region, path)
            if field is not None:
                key = self._sub(key, field)
            return [(key, s)]
        if k == "I":
            if v[1] == 0:
                if for_read is None:
                    return [(("null", v), s)]
                return self.crash(self.event(s, "null_deref", e.loc, origin=v[2], what=c_text(e)))
            if v[2] is not None and v[2][0] == "errptr":
                if for_read is None:
                    return [(("null", v), s)]
                return self.crash(self.event(s, "null_deref", e.loc, origin=v[2], what=c_text(e)))
            return [(None, s)]
        # an unknown pointer: memory klplint names after the symbol
        if self.ctx is not None and v[1] in self.ctx.target_syms and for_read is not None:
            s = self.event(s, "target_uninit", e.loc, var=self.ctx.target_syms[v[1]], what=c_text(e))
        key = (("s", v[1]), ())
        if field is not None:
            key = self._sub(key, field)
        return [(key, s)]

    # ================================================== calls
    def ev_call(self, e: ir.Call, s: State, fr: Frame):
        callee = e.callee
        while isinstance(callee, ir.Cast):
            callee = callee.operand
        if isinstance(callee, ir.Unary) and callee.op == "*":
            callee = callee.operand
        states = [([], s)]
        name = None
        if isinstance(callee, ir.Name) and callee.kind in ("func", "unknown") \
                and (callee.kind == "func" or callee.name not in fr.types):
            name = callee.name
            callees = [(None, x) for _, x in states]
        else:
            callees = [(v, x) for v, x in self.ev(callee, s, fr)]
        out = []
        for cv, s0 in callees:
            target = name if cv is None else fn_name(cv)
            arg_states = [((), s0)]
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
        if name is not None and self.ctx is not None:
            self.executed_calls.setdefault((name, e.loc), set()).add(self.ctx.role)
        fn = self.module.functions.get(name) if name else None
        if fn is not None and fn.body is not None:
            if fr.depth - self.base_depth >= self.budgets.call_depth:
                s = self.incomplete(s, e.loc, f"calls nested deeper than {self.budgets.call_depth} "
                                              f"(at {name}())", taint=False)
                return self.unknown_call(name, vals, e, s)
            return [(v, x) for v, x, _ in self.call_function(fn, vals, s, fr.depth + 1, e.loc)]
        model = self.kapi(name) if name else None
        if model is not None:
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
        ups = {}
        for i, p in enumerate(fn.params):
            if i < len(args):
                ups[(("l", depth, p.name), ())] = args[i]
        s = self._pop_frames(s, depth)
        if ups:
            s = s.update_mem(ups)
        results = []
        void = fn.type.target is not None and fn.type.target.kind == "void"
        for k, x, pl in self.exec_block(fn.body.body, 0, s, fr, fn.body):
            if k == "r":
                v, st = pl
                results.append((v if v is not None else ZERO, x, st))
            elif k == "g":
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
        dels = [k for k in s.mem if k[0][0] == "l" and k[0][1] >= depth]
        if not dels:
            return s
        return s.update_mem({}, dels)


class CallCtx:
    """What a kapi model sees of a call."""

    __slots__ = ("ex", "name", "call", "args", "s", "fr")

    def __init__(self, ex: Executor, name: str, call: ir.Call, args: Tuple, s: State, fr: Frame):
        self.ex = ex
        self.name = name
        self.call = call
        self.args = args
        self.s = s
        self.fr = fr

    @property
    def loc(self) -> ir.Location:
        return self.call.loc

    def arg(self, i: int):
        return self.args[i] if i < len(self.args) else None

    def arg_text(self, i: int) -> str:
        return c_text(self.call.args[i]) if i < len(self.call.args) else ""


def _zero_tail(path):
    while path and path[-1] == 0:
        path = path[:-1]
    return path


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


_AGG = _Marker("AGG")
_UNKNOWN = _Marker("UNKNOWN")


def _walk(node):
    from .irutil import walk
    return walk(node)


def _walk_decls(body) -> Iterable[ir.VarDecl]:
    for n in _walk(body):
        if isinstance(n, ir.VarDecl):
            yield n
