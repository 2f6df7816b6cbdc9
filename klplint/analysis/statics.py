"""What is known about a module before executing anything: lifecycle closure, ctor/dtor refs, unsure globals."""
from __future__ import annotations

from typing import Iterable, Optional, Set

from klplint import ir
from klplint.analysis.kapi.pristine import REARM_CALLS
from klplint.ir.util import const_int, reachable, strip, walk
from klplint.patch import model

# ------------------------------------------------------------------ static facts

SHADOW_ALLOC = ("klp_shadow_alloc", "klp_shadow_get_or_alloc")
SHADOW_CALLBACK_ARG = {"klp_shadow_alloc": 4, "klp_shadow_get_or_alloc": 4, "klp_shadow_free": 2,
                       "klp_shadow_free_all": 1}
KLP_STRUCTS = ("klp_patch", "klp_object", "klp_func", "klp_hook", "klp_state", "klp_callbacks")
def closure(module: model.PatchModule, roots: Iterable[str]) -> Set[str]:
    """Functions of the module reachable by calls from roots."""
    return reachable(module.functions, roots)


def callback_refs(module: model.PatchModule):
    """(function name, 'ctor'|'dtor', call) for every function passed to klp_shadow_*()."""
    out = []
    for f in module.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if isinstance(n, ir.Call) and n.callee_name in SHADOW_CALLBACK_ARG:
                i = SHADOW_CALLBACK_ARG[n.callee_name]
                if i < len(n.args):
                    a = strip(n.args[i])
                    if isinstance(a, ir.Unary) and a.op == "&":
                        a = strip(a.operand)
                    if isinstance(a, ir.Name) and a.kind == "func":
                        out.append((a.name, "ctor" if i == 4 else "dtor", n, f.name))
    return out


def const_id(module: model.PatchModule, e: Optional[ir.Expr]) -> Optional[int]:
    """A shadow or state id written as a constant (literal, macro, enumerator, const global)."""
    c = const_int(e)
    if c is not None:
        return c
    e = strip(e)
    if isinstance(e, ir.Name) and e.kind == "var":
        d = module.variables.get(e.name)
        if d is not None and (d.type.const or d.storage == "static") and d.init is not None:
            return const_int(d.init) if d.type.const else None
    return None


class Statics:
    """What is known about the module before executing anything."""

    def __init__(self, module: model.PatchModule):
        self.module = module
        roots = [module.init_func, module.exit_func]
        for p in module.patches:
            for o in p.objects:
                for _, ref in o.role_functions():
                    if ref.name:
                        roots.append(ref.name)
        self.lifecycle = closure(module, roots)
        ctor_dtor = {name for name, _, _, _ in callback_refs(module)}
        self.lifecycle |= closure(module, [n for n in ctor_dtor if n in self.lifecycle])
        others = [n for n, f in module.functions.items()
                  if f.body is not None and n not in self.lifecycle and not n.startswith("__")]
        self.outside = closure(module, others)
        self.unsure = self._unsure_globals()

    def _unsure_globals(self) -> Set[str]:
        """Globals whose value code the engine does not run may change between two steps:
        written by functions outside the lifecycle (replacement functions, work items, notifier
        callbacks...), or exposed through another global's initializer (module parameters) that code
        the engine does not run may reach."""
        m = self.module
        out: Set[str] = set()
        for name in self.outside:
            f = m.functions[name]
            read_only = _addresses_only_read(f.body)
            rearmed = _rearm_args(f.body)
            for n in walk(f.body):
                tgt = None
                if isinstance(n, ir.Assign):
                    tgt = n.target
                elif isinstance(n, ir.Unary) and n.op in ("++pre", "--pre", "post++", "post--"):
                    tgt = n.operand
                elif isinstance(n, ir.Unary) and n.op == "&" and id(n) not in read_only \
                        and id(n) not in rearmed:
                    tgt = n.operand     # the address escapes: what it is given may write through it
                root = _lvalue_root(tgt)
                if root is not None and root.kind in ("var", "static_local"):
                    out.add(root.name)
        for v in m.variables.values():
            if v.init is None:
                continue
            t = v.type
            while t.kind == "array" and t.target is not None:
                t = t.target
            if t.kind == "struct" and t.name in KLP_STRUCTS:
                continue
            exposed = []
            for n in walk(v.init):
                if isinstance(n, ir.Unary) and n.op == "&":
                    root = _lvalue_root(n.operand)
                    if root is not None and root.kind == "var" and root.name != v.name:
                        d = m.variables.get(root.name)
                        dt = d.type if d else None
                        while dt is not None and dt.kind == "array" and dt.target is not None:
                            dt = dt.target
                        if dt is None or not (dt.kind == "struct" and dt.name in KLP_STRUCTS):
                            exposed.append(root.name)
            # a relocation table: what it points to is written only where the engine runs
            if exposed and not self._only_walked_by_engine(v.name):
                out.update(exposed)
        return out


    def _only_walked_by_engine(self, table: str) -> bool:
        """Is global `table` used only by code the engine runs, which never hands it on (to a kernel
        call, a registration, another variable)? Then the addresses its initializer holds are
        written through only where the engine sees it: a relocation table `{ "sym", &ptr }` walked
        by a resolver loop. A module parameter's table is named by no code, a sysctl table is
        handed to register_sysctl(): what they point to changes behind the engine's back."""
        m = self.module
        if any(v.init is not None and _names(v.init, table, "var") for v in m.variables.values()):
            return False
        todo = []
        for name, f in m.functions.items():
            if f.body is not None and _names(f.body, table, "var"):
                if name not in self.lifecycle:
                    return False
                todo.append((name, table))
        if not todo:
            return False
        seen = set()
        while todo:
            fname, alias = todo.pop()
            if (fname, alias) in seen:
                continue
            seen.add((fname, alias))
            for n in walk(m.functions[fname].body):
                if isinstance(n, ir.Call):
                    callee = m.functions.get(n.callee_name or "")
                    for i, a in enumerate(n.args):
                        if _table_root(a) != alias:
                            continue
                        if callee is None or callee.body is None or i >= len(callee.params):
                            return False            # handed to code the engine does not run
                        todo.append((callee.name, callee.params[i].name))
                elif isinstance(n, ir.Assign) and _table_root(n.value) == alias:
                    tgt = strip(n.target)
                    if not (isinstance(tgt, ir.Name) and tgt.kind == "local"):
                        return False
                    todo.append((fname, tgt.name))  # a cursor walking the table
                elif isinstance(n, ir.VarDecl) and not n.is_global and n.init is not None \
                        and _table_root(n.init) == alias:
                    todo.append((fname, n.name))
                elif isinstance(n, ir.Return) and n.value is not None and _table_root(n.value) == alias:
                    return False
        return True


def _names(node, name: str, kind: str) -> bool:
    return any(isinstance(n, ir.Name) and n.name == name and n.kind == kind for n in walk(node))


def _table_root(e) -> Optional[str]:
    """The table an expression's value points into: `t`, `&t[i]`, `t + n`, under casts (not the
    value of a field of an entry, `t[i].name`)."""
    e = strip(e)
    while True:
        if isinstance(e, ir.Unary) and e.op == "&" and isinstance(strip(e.operand), ir.Index):
            e = strip(strip(e.operand).base)
        elif isinstance(e, ir.Binary) and e.op in ("+", "-"):
            e = strip(e.lhs)
        else:
            break
    return e.name if isinstance(e, ir.Name) else None


def _rearm_args(body) -> Set[int]:
    """The `&x` arguments of calls that only (re)arm or test a timer or work item (a timer
    callback re-arming its own timer does not set anything up)."""
    out: Set[int] = set()
    for n in walk(body):
        if isinstance(n, ir.Call) and n.callee_name in REARM_CALLS:
            for a in n.args:
                a = strip(a)
                if isinstance(a, ir.Unary) and a.op == "&":
                    out.add(id(a))
    return out


def _lvalue_root(e) -> Optional[ir.Name]:
    """The variable an lvalue writes, when no pointer is followed (`g`, `g.f`, `g[2]`), also
    through an address taken and followed at once (`*(volatile T *)&g`, `(&g)->f`: the kernel's
    READ_ONCE, WRITE_ONCE and list macros)."""
    while e is not None:
        if isinstance(e, ir.Name):
            return e
        if isinstance(e, ir.Member) and not e.arrow:
            e = e.base
        elif isinstance(e, ir.Member) and _address_of(e.base) is not None:
            e = _address_of(e.base).operand
        elif isinstance(e, ir.Unary) and e.op == "*" and _address_of(e.operand) is not None:
            e = _address_of(e.operand).operand
        elif isinstance(e, ir.Index):
            e = e.base
        elif isinstance(e, ir.Cast):
            e = e.operand
        else:
            return None
    return None


def _address_of(e) -> Optional[ir.Unary]:
    """`&x` under casts, or None."""
    while isinstance(e, ir.Cast):
        e = e.operand
    return e if isinstance(e, ir.Unary) and e.op == "&" else None


def _addresses_only_read(body) -> Set[int]:
    """The `&` nodes of `body` (by id) whose address goes nowhere: followed at once (`*&x`,
    `(&x)->f`) or only compared (`&pos->node != &head`). Taking an address is a write only when it
    escapes or is written through; a write through `*&x` is found as a write of x itself."""
    out: Set[int] = set()
    for n in walk(body):
        if isinstance(n, ir.Unary) and n.op == "*":
            a = _address_of(n.operand)
        elif isinstance(n, ir.Member) and n.arrow:
            a = _address_of(n.base)
        elif isinstance(n, ir.Binary) and n.op in ("==", "!="):
            for side in (n.lhs, n.rhs):
                a = _address_of(side)
                if a is not None:
                    out.add(id(a))
            continue
        else:
            continue
        if a is not None:
            out.add(id(a))
    return out
