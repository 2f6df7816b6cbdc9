"""Executor memory: locations of names, loads and stores, initial values, reachability and escape."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from klplint import ir
from klplint.analysis.context import Frame
from klplint.analysis.parts import ExecutorParts
from klplint.analysis.state import State
from klplint.analysis.values import (
    _AGG,
    _UNKNOWN,
    CONSTANT,
    HAVOC,
    MODULE_STATE_ORIGIN,
    MODULE_STATES,
    ONE,
    WRITABLE,
    ZERO,
    ZEROED,
    Addr,
    Global,
    HeapRegion,
    Int,
    Key,
    KsymRegion,
    Local,
    ModuleRegion,
    NullAddr,
    ObjRegion,
    Origin,
    OriginKind,
    Ptr,
    Region,
    RegionKind,
    StaticLocal,
    StrRegion,
    Sym,
    Value,
    VMLINUX,
    fn_value,
    heap_id,
)
from klplint.ir.util import const_int, strip

_HAVOC_TAIL = (HAVOC,)
_ZEROED_TAIL = (ZEROED,)


class Memory(ExecutorParts):
    """Loads, stores and the regions behind pointers (a part of Executor)."""

    # ================================================== memory
    def region_of_name(self, e: ir.Name, fr: Frame) -> Region:
        kind = e.kind
        # unknown kind: a local if the frame declares it, else a global
        if kind == "local" or kind == "param" or (kind != "static_local" and kind != "var" and e.name in fr.types):
            r = fr.locals.get(e.name)
            if r is None:
                r = fr.locals[e.name] = Local(fr.depth, e.name)
            return r
        if kind == "static_local":
            return StaticLocal(fr.fn.name, e.name)
        g = self._globals.get(e.name)
        if g is None:
            g = self._globals[e.name] = Global(e.name)
        return g

    def load(self, s: State, key: Key) -> Tuple[Value, State]:
        if type(key[0]) is Global and key[0].name in self.global_arrays():
            key = self.canon_key(key)
        v = s.mem.get(key)
        if v is not None:
            return v, s
        region, path = key
        for i in range(len(path) + 1):
            if (region, path[:i] + _HAVOC_TAIL) in s.mem:
                return self._stable_unknown(s, key)
        # the region classes have no subclasses: `type(...) is` is the cheaper isinstance here
        kind = type(region)
        if kind is Global:
            return self._static_default(s, key, self.module.variables.get(region.name))
        if kind is StaticLocal:
            return self._static_default(s, key, self._static_locals.get((region.function, region.name)))
        if kind is Local:
            for i in range(len(path) + 1):
                if (region, path[:i] + _ZEROED_TAIL) in s.mem:
                    return ZERO, s
            return self._stable_unknown(s, key)
        if kind is HeapRegion:
            obj = s.heap.get(region.id)
            if obj is not None and obj.zeroed:
                return ZERO, s
            return self._stable_unknown(s, key)
        if kind is ObjRegion:
            return self._obj_field(s, key)
        if kind is ModuleRegion:
            return self._mod_field(s, key)
        if kind is KsymRegion:
            return self._ksym_default(s, key)
        return self._stable_unknown(s, key)

    def _stable_unknown(self, s: State, key: Key) -> Tuple[Sym, State]:
        sym, s = self.fresh_sym(s)
        return sym, s.set_mem(key, sym)

    def _before_target_init(self, owner: Optional[str] = None) -> bool:
        """Does the step run before the init of the module whose data this is (owner; None: any
        target's), so that the target's globals are still as C initialised them? The patch hooks,
        pre_patch and post_patch of an object whose module is COMING."""
        ctx = self.ctx
        if ctx is None or ctx.binding is None or ctx.binding.state != "COMING" \
                or ctx.role not in ("patch_hook", "pre_patch", "post_patch"):
            return False
        return owner is None or owner == ctx.binding.name

    def _static_default(self, s: State, key: Key, decl: Optional[ir.VarDecl]) -> Tuple[Value, State]:
        region, path = key
        if decl is None or (decl.storage == "extern" and decl.init is None):
            sym, s = self._stable_unknown(s, key)
            if decl is not None and isinstance(region, Global) and not path and self._before_target_init():
                self.ctx.target_syms[sym.id] = region.name
            return sym, s
        v = self._init_value(decl.init, decl.type, path)
        if v is _AGG:
            return Ptr(region, path), s
        if v is None:
            return self._stable_unknown(s, key)
        return v, s

    def _ksym_default(self, s: State, key: Key) -> Tuple[Sym, State]:
        """A symbol's memory read through its resolved address, as an extern of it would read: the
        pointer it holds is the target's data, still unset before the init of the module it was
        looked up in (never vmlinux's, set up before any livepatch loads)."""
        sym, s = self._stable_unknown(s, key)
        region, path = key
        assert isinstance(region, KsymRegion)
        if not path and region.owner != VMLINUX and self._before_target_init(region.owner):
            self.ctx.target_syms[sym.id] = region.name
        return sym, s

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
        fields_: Tuple[str, ...] = ()
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

    def static_value(self, e: Optional[ir.Expr]) -> Optional[Value]:
        """The value of a constant initializer expression, or None."""
        c = const_int(e)
        if c is not None:
            return Int(c)
        e = strip(e)
        if isinstance(e, ir.StrLit):
            return Ptr(StrRegion(e.value))
        if isinstance(e, ir.Name):
            if e.kind == "func":
                return fn_value(e.name)
            decl = self.module.variables.get(e.name)
            if decl is not None and decl.type.kind == "array":
                return Ptr(Global(e.name))
            return None
        if isinstance(e, ir.Unary) and e.op == "&":
            return self._static_addr(e.operand)
        return None

    def _static_addr(self, e) -> Optional[Ptr]:
        e = strip(e)
        if isinstance(e, ir.Name):
            if e.kind == "func":
                return fn_value(e.name)
            return Ptr(Global(e.name))
        if isinstance(e, ir.Member) and not e.arrow:
            base = self._static_addr(e.base)
            return Ptr(base.region, base.path + (e.field,)) if base else None
        if isinstance(e, ir.Index):
            k = const_int(e.index)
            base = self._static_addr(e.base)
            return Ptr(base.region, base.path + (k,)) if base and k is not None else None
        return None

    # ---------------------------------------------- arrays, and the objects of the patch
    def global_arrays(self) -> Dict[str, ir.VarDecl]:
        """The file's global arrays, by name (made once)."""
        arrays = self.__dict__.get("_global_arrays")
        if arrays is None:
            arrays = self.__dict__["_global_arrays"] = {
                n: d for n, d in self.module.variables.items() if d.type.kind == "array"}
        return arrays

    def array_at(self, region: Region, path: Tuple) -> Optional[bool]:
        """Is (region, path) an array, so that a pointer to it points to its element 0?
        None when klplint does not know the type there (a member, the heap, an unknown pointer)."""
        kind = type(region)
        if kind is Global:
            decl = self.module.variables.get(region.name)
        elif kind is StaticLocal:
            decl = self._static_locals.get((region.function, region.name))
        else:
            return None
        t = decl.type if decl is not None else None
        for el in path:
            if t is None or type(el) is not int or t.kind != "array":
                return None
            t = t.target
        return None if t is None else t.kind == "array"

    def canon_key(self, key: Key) -> Key:
        """The one key of a cell of a global array: `p->f` with p the array itself is element 0's
        field, and an element of the patch's objects array is the object the core passes as obj
        (ObjRegion), so both ways of reaching it read the same core-owned fields."""
        region, path = key
        if not path or type(path[0]) is not int:
            path = (0,) + path
        ctx = self.ctx
        patch = ctx.patch if ctx is not None else None
        if patch is not None and patch.objs is not None and patch.objs.var == region.name \
                and path[0] < len(patch.objects):
            b = ctx.binding
            return (ObjRegion(b.patch_index if b is not None else 0, path[0]), path[1:])
        return (region, path)

    def canon_ptr(self, v: Ptr) -> Ptr:
        """A pointer into a global array, as canon_key() names the cell it points to."""
        if type(v.region) is Global and v.region.name in self.global_arrays():
            region, path = self.canon_key((v.region, v.path))
            return Ptr(region, path)
        return v

    def _obj_field(self, s: State, key: Key) -> Tuple[Value, State]:
        """A field of a klp_object of the patch: name and the core-owned mod and patched as the
        scenario has them now, the others as the objects array initializes them."""
        region, path = key
        assert isinstance(region, ObjRegion)
        ctx = self.ctx
        b = ctx.binding if ctx is not None else None
        patch = ctx.patch if ctx is not None else None
        k = region.obj_index
        if not path or patch is None or k >= len(patch.objects) or \
                (b is not None and b.patch_index != region.patch_index):
            if b is not None and b.region == region and len(path) == 1 and path[0] in ("name", "mod"):
                return self._bound_field(s, b, path[0])
            return self._stable_unknown(s, key)
        obj = patch.objects[k]
        f = path[0]
        if len(path) == 1 and f in ("name", "mod", "patched"):
            if b is not None and b.region == region and f != "patched":
                return self._bound_field(s, b, f)
            if f == "name":
                if obj.name is None:
                    return Int(0, Origin(OriginKind.OBJ_NAME, obj.label)), s
                return Ptr(StrRegion(obj.name)), s
            view = b.objects[k] if b is not None and k < len(b.objects) else None
            if view is None:        # module_init, module_exit: the core's view is not modelled there
                return self._stable_unknown(s, key)
            if f == "patched":
                return (ONE if view.patched else ZERO), s
            if not view.loaded:
                return Int(0, Origin(OriginKind.OBJ_MOD, obj.label)), s
            return Ptr(ModuleRegion(obj.name)), s
        decl = self.module.variables.get(patch.objs.var or "") if patch.objs is not None else None
        if decl is None:
            return self._stable_unknown(s, key)
        v = self._init_value(decl.init, decl.type, (k,) + path)
        if v is _AGG:
            return Ptr(Global(decl.name), (k,) + path), s
        if v is None:
            return self._stable_unknown(s, key)
        return v, s

    def _bound_field(self, s: State, b, f: str) -> Tuple[Value, State]:
        if f == "name":
            if b.name is None:
                return Int(0, Origin(OriginKind.OBJ_NAME, b.label)), s
            return Ptr(StrRegion(b.name)), s
        if b.mod_null:
            return Int(0, Origin(OriginKind.OBJ_MOD, b.label)), s
        return Ptr(ModuleRegion(b.name)), s

    def _mod_field(self, s: State, key: Key) -> Tuple[Value, State]:
        region, path = key
        assert isinstance(region, ModuleRegion)
        b = self.ctx.binding if self.ctx else None
        if len(path) == 1 and path[0] == "name":
            return Ptr(StrRegion(region.name)), s
        if len(path) == 1 and path[0] == "state" and b is not None and b.name == region.name and b.state:
            return Int(MODULE_STATES[b.state], MODULE_STATE_ORIGIN), s
        if len(path) == 1 and path[0] == "state" and b is not None and b.name != region.name \
                and self._loaded_elsewhere(b, region.name):
            # another object's module, loaded while the core calls this one: neither coming nor going
            # (no origin: KLP202 judges the states of the module the core calls the hook for)
            return Int(MODULE_STATES["LIVE"]), s
        return self._stable_unknown(s, key)

    def _loaded_elsewhere(self, b, name: Optional[str]) -> bool:
        patch = self.ctx.patch if self.ctx is not None else None
        if patch is None:
            return False
        return any(o.name == name and k < len(b.objects) and b.objects[k].loaded
                   for k, o in enumerate(patch.objects))

    def store(self, s: State, key: Addr, value: Value, text: Optional[str] = None) -> State:
        if key is None or isinstance(key, NullAddr):
            return self.escape(s, value)
        if type(key[0]) is Global and key[0].name in self.global_arrays():
            key = self.canon_key(key)
        kind = key[0].kind
        if kind in CONSTANT:
            return self.escape(s, value)
        s = s.set_mem(key, value)
        hid = heap_id(value)
        if hid is not None:
            obj = s.heap.get(hid)
            if obj is not None and text and (obj.name is None or obj.name.startswith("__")) and obj.name != text:
                s = s.set_heap(hid, obj._replace(name=text))
        if kind is RegionKind.SYMBOLIC or kind is RegionKind.KSYM:
            s = self.escape(s, value)       # handed to memory of code klplint does not run
        return s

    def clear_region(self, s: State, region: Region, path=(), havoc: bool = False, zero: bool = False) -> State:
        """Forget what is stored under (region, path...); later reads give unknown (havoc), zero,
        or the region's default."""
        n = len(path)
        dels = [k for k in s.mem if k[0] == region and k[1][:n] == path]
        ups = {}
        if havoc:
            ups[(region, path + (HAVOC,))] = ONE
        if zero:
            ups[(region, path + (ZEROED,))] = ONE
        if not dels and not ups:
            return s
        return s.update_mem(ups, dels)

    # ---------------------------------------------- reachability and escape
    def _region_edges(self, s: State) -> Dict[Region, List[Region]]:
        edges: Dict[Region, List[Region]] = {}
        for (region, _), v in s.mem.items():
            if type(v) is Ptr:
                edges.setdefault(region, []).append(v.region)
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

    def escape(self, s: State, value: Value) -> State:
        """`value` leaves what klplint can see: the heap objects and resources reachable from it stop
        being tracked, and memory behind it may have been changed."""
        if type(value) is not Ptr:
            return s
        region, path = value.region, value.path
        kind = region.kind
        if kind in CONSTANT:
            return s
        regions = self.reachable_regions(s, [region])
        heap = None
        for r in regions:
            if type(r) is HeapRegion:
                obj = s.heap.get(r.id)
                if obj is not None and not obj.escaped:
                    heap = heap if heap is not None else dict(s.heap)
                    heap[r.id] = obj._replace(escaped=True)
        res = None
        for k, rs in s.res.items():
            t = k.target
            if type(t) is Ptr and t.region in regions and rs.status == "held":
                res = res if res is not None else dict(s.res)
                res[k] = rs._replace(status="escaped")
        if heap is not None or res is not None:
            s = s.copy()
            if heap is not None:
                s.heap = heap
            if res is not None:
                s.res = res
        if kind in WRITABLE:
            s = self.clear_region(s, region, path, havoc=True)
        return s
