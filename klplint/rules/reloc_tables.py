"""Addresses resolved through a relocation table: `{ "sym", (void **)&ptr }` entries that a loop fills with kallsyms_lookup_name()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from klplint import ir
from klplint.ir.util import strip, walk
from klplint.patch import model

# klp-ccp and the distributions' livepatches do not assign each looked-up address by hand: the
# generated code lists `{ symbol name, address of the klpe_ pointer[, object name] }` in a table
# and one helper walks it, `*t[i].addr = (void *)kallsyms_lookup_name(t[i].symname)`. The address
# is then cached where the helper is called from (module_init, or a pre_patch), for the table it
# is given.


@dataclass(frozen=True)
class Resolver:
    """A function that stores looked-up addresses through the entries of a table."""
    function: str
    table: str                  # the parameter (or global table) whose entries it walks
    param_index: Optional[int]  # position of that parameter; None when it walks a global table
    name_field: str             # the entry field holding the symbol name
    addr_field: str             # the entry field holding the address of the pointer to fill
    loc: ir.Location            # the store


@dataclass(frozen=True)
class TableEntry:
    """One entry of a relocation table: the pointer it fills with the address of symbol."""
    target: str
    symbol: str
    objname: Optional[str]      # the entry's object name field: None when absent or NULL (vmlinux)
    has_objname: bool           # whether the entry type names the object at all


@dataclass(frozen=True)
class TableResolution:
    """`target` receives the address of `symbol` when `function` runs (at `loc`)."""
    target: str
    symbol: str
    function: str
    resolver: str
    table: str
    objname: Optional[str]
    has_objname: bool
    loc: ir.Location
    # False for a table without object names that the code does not tie to one object, in a module
    # that splits its relocations into several tables: the split is by object, but not one klplint reads
    object_known: bool = True


def _entry_base(e: Optional[ir.Expr]) -> Optional[Tuple[str, str]]:
    """(table name, field) of `t[i].field`, `t->field` or `(t + i)->field`."""
    e = strip(e)
    if not isinstance(e, ir.Member):
        return None
    base = strip(e.base)
    if isinstance(base, ir.Index):
        base = strip(base.base)
    elif isinstance(base, ir.Binary) and base.op in ("+", "-"):
        base = strip(base.lhs)
    if isinstance(base, ir.Name) and base.kind in ("param", "var", "local"):
        return base.name, e.field
    return None


def _lookup_name_arg(e: Optional[ir.Expr], lookups: Tuple[str, ...]) -> Optional[Tuple[str, str]]:
    e = strip(e)
    if isinstance(e, ir.Call) and e.callee_name in lookups and e.args:
        return _entry_base(e.args[0])
    return None


def _walked_table(e: Optional[ir.Expr]) -> Optional[str]:
    """The table a cursor starts from: `r = relocs`, `r = &relocs[0]`, `r = relocs + 0`."""
    e = strip(e)
    if isinstance(e, ir.Unary) and e.op == "&":
        e = strip(e.operand)
        if isinstance(e, ir.Index):
            e = strip(e.base)
    if isinstance(e, ir.Binary) and e.op == "+":
        e = strip(e.lhs)
    return e.name if isinstance(e, ir.Name) and e.kind in ("param", "var") else None


def _assigned_name(n: ir.Assign) -> Optional[ir.Name]:
    tgt = strip(n.target)
    return tgt if isinstance(tgt, ir.Name) else None


def resolvers(module: model.PatchModule, lookups: Tuple[str, ...]) -> List[Resolver]:
    """Functions that store `lookup(t[i].name)` through `*t[i].addr`, directly or through a local,
    indexing the table or walking it with a cursor (`for (r = t; r < t + n; r++)`)."""
    out: List[Resolver] = []
    for f in module.functions.values():
        if f.body is None:
            continue
        looked_up: Dict[str, Tuple[str, str]] = {}      # local -> (table, name field)
        cursor: Dict[str, str] = {}                     # local pointer -> the table it walks
        for n in walk(f.body):
            if isinstance(n, ir.VarDecl) and not n.is_global:
                start = _walked_table(n.init)
                if start:
                    cursor[n.name] = start
            elif isinstance(n, ir.Assign) and n.op == "=":
                local = _assigned_name(n)
                start = _walked_table(n.value)
                if start and local is not None and local.kind == "local":
                    cursor[local.name] = start

        def table_of(found: Optional[Tuple[str, str]]) -> Optional[Tuple[str, str]]:
            return (cursor.get(found[0], found[0]), found[1]) if found else None

        for n in walk(f.body):
            if isinstance(n, ir.VarDecl) and not n.is_global:
                found = table_of(_lookup_name_arg(n.init, lookups))
                if found:
                    looked_up[n.name] = found
            elif isinstance(n, ir.Assign) and n.op == "=":
                local = _assigned_name(n)
                found = table_of(_lookup_name_arg(n.value, lookups))
                if found and local is not None:
                    looked_up[local.name] = found
        params = [p.name for p in f.params]
        for n in walk(f.body):
            if not (isinstance(n, ir.Assign) and n.op == "="):
                continue
            tgt = strip(n.target)
            if not (isinstance(tgt, ir.Unary) and tgt.op == "*"):
                continue
            store = table_of(_entry_base(tgt.operand))
            value = strip(n.value)
            source = table_of(_lookup_name_arg(value, lookups))
            if source is None and isinstance(value, ir.Name):
                source = looked_up.get(value.name)
            if store is None or source is None or store[0] != source[0]:
                continue
            table = store[0]
            idx = params.index(table) if table in params else None
            if idx is None and table not in module.variables:
                continue
            out.append(Resolver(f.name, table, idx, source[1], store[1], n.loc))
    return out


def _element_fields(module: model.PatchModule, var: ir.VarDecl) -> Tuple[str, ...]:
    t: Optional[ir.Type] = var.type
    while t is not None and t.kind == "array":
        t = t.target
    return module.unit.record_fields(t.name) if t is not None and t.kind == "struct" else ()


def _entry_values(item: ir.InitList, fields: Tuple[str, ...]) -> Dict[str, ir.Expr]:
    out: Dict[str, ir.Expr] = {}
    pos = 0
    for it in item.items:
        if it.designators and isinstance(it.designators[0], str):
            name = it.designators[0]
            pos = fields.index(name) + 1 if name in fields else pos
        elif pos < len(fields):
            name = fields[pos]
            pos += 1
        else:
            continue
        out[name] = it.value
    return out


def table_entries(module: model.PatchModule, table: str, name_field: str, addr_field: str) -> List[TableEntry]:
    """The entries of a global table: which pointer gets the address of which symbol."""
    var = module.variables.get(table)
    if var is None or not isinstance(var.init, ir.InitList):
        return []
    fields = _element_fields(module, var)
    objfield = next((f for f in fields if f in ("objname", "obj_name", "modname", "module", "objfile")), None)
    out: List[TableEntry] = []
    for it in var.init.items:
        entry = strip(it.value)
        if not isinstance(entry, ir.InitList):
            continue
        values = _entry_values(entry, fields)
        sym = strip(values.get(name_field))
        addr = strip(values.get(addr_field))
        if isinstance(addr, ir.Unary) and addr.op == "&":
            addr = strip(addr.operand)
        if not isinstance(sym, ir.StrLit) or not (isinstance(addr, ir.Name) and addr.kind == "var"):
            continue
        obj = strip(values.get(objfield)) if objfield else None
        objname = obj.value if isinstance(obj, ir.StrLit) else None
        out.append(TableEntry(addr.name, sym.value, objname, objfield is not None))
    return out


def _table_arg(e: Optional[ir.Expr]) -> Optional[str]:
    """The global table a call passes: `t`, `&t[0]`, `t + 0`."""
    e = strip(e)
    if isinstance(e, ir.Unary) and e.op == "&":
        e = strip(e.operand)
        if isinstance(e, ir.Index):
            e = strip(e.base)
    if isinstance(e, ir.Name) and e.kind == "var":
        return e.name
    return None


# When the entries carry no object name, the code still says which object a table serves: by the
# table's name (`klp_vmlinux_relocs`, `lp_kvm_relocs`, one table per object is how klp-ccp splits
# them) or by an object name the helper call passes (`resolve(t, n, "kvm")`). A table so attributed
# is treated as if each of its entries named that object; None there means vmlinux.
VMLINUX = "vmlinux"


def _object_names(module: model.PatchModule) -> Tuple[str, ...]:
    return tuple(sorted({o.name for p in module.patches for o in p.objects if o.name and not o.is_vmlinux}))


def _tokens(name: str) -> Tuple[str, ...]:
    return tuple(t for t in name.lower().replace("-", "_").split("_") if t)


def _named_object(identifier: str, objects: Tuple[str, ...]) -> Optional[str]:
    """The object an identifier names as a run of its `_` words: a klp_object's name, or vmlinux
    (VMLINUX); None when it names none, or two equally well."""
    words = _tokens(identifier)
    hits: List[Tuple[int, str]] = []
    for obj in objects + (VMLINUX,):
        want = _tokens(obj)
        if want and any(words[i:i + len(want)] == want for i in range(len(words) - len(want) + 1)):
            hits.append((len(want), obj))
    if not hits:
        return None
    best = max(n for n, _ in hits)
    named = {obj for n, obj in hits if n == best}
    return named.pop() if len(named) == 1 else None


def _call_object(call: ir.Call, skip: int, objects: Tuple[str, ...]) -> Optional[str]:
    """An object name passed as a string literal to the helper, next to the table."""
    for i, a in enumerate(call.args):
        a = strip(a)
        if i != skip and isinstance(a, ir.StrLit) and a.value in objects + (VMLINUX,):
            return a.value
    return None


def _attributed(entries: List[TableEntry], obj: Optional[str]) -> List[TableEntry]:
    """Entries without an object field, given the object the table serves (when known)."""
    if obj is None:
        return entries
    name = None if obj == VMLINUX else obj
    return [e if e.has_objname else TableEntry(e.target, e.symbol, name, True) for e in entries]


def table_resolutions(module: model.PatchModule, lookups: Tuple[str, ...]) -> List[TableResolution]:
    """Every address a relocation table receives, attributed to the function that has it resolved:
    the caller of the table-walking helper (at the call), or the helper itself for a global table."""
    out: List[TableResolution] = []
    found = resolvers(module, lookups)
    objects = _object_names(module)
    for r in found:
        if r.param_index is None:
            entries = table_entries(module, r.table, r.name_field, r.addr_field)
            for e in _attributed(entries, _named_object(r.table, objects)):
                out.append(TableResolution(e.target, e.symbol, r.function, r.function, r.table,
                                           e.objname, e.has_objname, r.loc))
            continue
        for caller in module.functions.values():
            if caller.body is None:
                continue
            for call in _calls_to(caller.body, r.function):
                if r.param_index >= len(call.args):
                    continue
                table = _table_arg(call.args[r.param_index])
                if table is None:
                    continue
                entries = table_entries(module, table, r.name_field, r.addr_field)
                obj = _call_object(call, r.param_index, objects) or _named_object(table, objects)
                for e in _attributed(entries, obj):
                    out.append(TableResolution(e.target, e.symbol, caller.name, r.function, table,
                                               e.objname, e.has_objname, call.loc))
    if len({t.table for t in out}) > 1:
        out = [t if t.has_objname else TableResolution(t.target, t.symbol, t.function, t.resolver, t.table,
                                                       t.objname, t.has_objname, t.loc, object_known=False)
               for t in out]
    return out


def _calls_to(body: ir.Stmt, name: str) -> Iterable[ir.Call]:
    for n in walk(body):
        if isinstance(n, ir.Call) and n.callee_name == name:
            yield n
