"""Executor memory: locations of names, loads and stores, initial values, reachability and escape."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from klplint import ir
from klplint.analysis.context import Frame
from klplint.analysis.state import State
from klplint.analysis.values import (
    _AGG,
    _UNKNOWN,
    MODULE_STATES,
    ONE,
    ZERO,
    I,
    P,
    fn_value,
    heap_id,
)
from klplint.ir.util import const_int, strip


class Memory:
    """Loads, stores and the regions behind pointers (a part of Executor)."""

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
