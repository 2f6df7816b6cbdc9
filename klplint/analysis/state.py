"""The abstract store of one path (State, immutable), and joining and merging states."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from klplint import ir
from klplint.analysis.budget import MAX_TRACE
from klplint.analysis.events import Event
from klplint.analysis.values import Heap, Key, Res, ResKey, ShadowObj, Value
from klplint.findings import PathStep

# ------------------------------------------------------------------ state

class State:
    """One path's abstract store. Never mutated after construction: methods return new states."""

    __slots__ = ("mem", "heap", "res", "shadow", "locks", "pc", "cnt", "flags",
                 "trace", "nstmt", "events", "forks", "gotos", "_key", "_mkey", "_fmem")

    def __init__(self) -> None:
        self.mem: Dict[Key, Value] = {}
        self.heap: Dict[int, Heap] = {}
        self.res: Dict[ResKey, Res] = {}
        self.shadow: Dict[Tuple[ShadowObj, Optional[int]], int] = {}   # (object, id) -> heap id
        self.locks: Tuple = ()          # ((lock key, loc, kind, label), ...)
        self.pc: Dict[int, Tuple] = {}  # symbol -> (eq or None, frozenset of excluded constants)
        self.cnt = 0                    # fresh symbols, heap ids, frames
        self.flags: frozenset = frozenset()
        self.trace: Tuple[PathStep, ...] = ()
        self.nstmt = 0
        self.events: Tuple[Event, ...] = ()
        self.forks = 0
        self.gotos: Tuple = ()
        self._key: Optional[tuple] = None
        self._mkey: Optional[tuple] = None
        self._fmem: Optional[frozenset] = None

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
    def set_mem(self, key: Key, value: Value) -> "State":
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

    def set_res(self, key: ResKey, r: Optional[Res]) -> "State":
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
            new: Tuple[Optional[int], frozenset] = (eq, frozenset())
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
    out: Dict[int, Tuple[Optional[int], frozenset]] = {}
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
    return (e.kind, e.loc, repr(e.payload))


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
