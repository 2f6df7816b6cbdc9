"""IR -> patch model: finds klp_patch tables and follows objs/funcs/hooks/callbacks/states as the core walks them."""
from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Optional, Tuple

from klplint import ir
from klplint.ir.util import c_text, const_int, is_null, strip, walk
from klplint.patch import model

# How the core walks each array: the walk stops at the first entry for which the
# condition is false.
KLP_STRUCTS = ("klp_patch", "klp_object", "klp_func", "klp_hook", "klp_callbacks", "klp_state")

# Field order used for positional initializers when the headers did not give us the layout.
_DEFAULT_FIELDS = {
    "klp_func": ("old_name", "new_func", "old_sympos"),
    "klp_hook": ("hook",),
    "klp_state": ("id", "version", "data"),
    "klp_callbacks": ("pre_patch", "post_patch", "pre_unpatch", "post_unpatch"),
    "klp_object": ("name", "funcs"),
    "klp_patch": ("mod", "objs"),
}


def module_name_for(path: str, config=None) -> str:
    """The livepatch module's name as kbuild makes it: the file's base name, '-' turned into '_'."""
    if config is not None and getattr(config, "module_name", None):
        return config.module_name
    return re.sub(r"[^A-Za-z0-9_]", "_", os.path.splitext(os.path.basename(path))[0])


def struct_name(t: Optional[ir.Type]) -> Optional[str]:
    while t is not None and t.kind == "array":
        t = t.target
    if t is not None and t.kind == "struct":
        return t.name
    return None


class _Field:
    """What an initializer wrote for one field: value, location, sub-designators, all writes."""

    def __init__(self):
        self.writes: List[Tuple[Tuple, ir.Expr, ir.Location]] = []

    @property
    def value(self) -> Optional[ir.Expr]:
        # C: the last write of a field wins; writes through sub-designators are folded by callers.
        for sub, v, _ in reversed(self.writes):
            if not sub:
                return v
        return None

    @property
    def loc(self) -> Optional[ir.Location]:
        return self.writes[-1][2] if self.writes else None


class Extractor:
    def __init__(self, unit: ir.TranslationUnit, config=None):
        self.unit = unit
        self.config = config
        self.notes: List[ir.Note] = []
        self.functions: Dict[str, ir.FunctionDecl] = {}
        self._runtime_writes_memo: Dict[str, bool] = {}
        for f in unit.functions:
            if f.name not in self.functions or f.body is not None:
                self.functions[f.name] = f
        self.variables: Dict[str, ir.VarDecl] = {}
        for v in unit.variables:
            if v.name not in self.variables or v.init is not None:
                self.variables[v.name] = v
        # klp tables declared inside functions (KLP115: automatic storage)
        self.locals: Dict[str, ir.VarDecl] = {}
        for f in unit.functions:
            if f.body is None:
                continue
            for n in walk(f.body):
                if isinstance(n, ir.VarDecl) and struct_name(n.type) in KLP_STRUCTS:
                    self.locals.setdefault(n.name, n)

    # ------------------------------------------------------------ entry point
    def extract(self) -> model.PatchModule:
        name = module_name_for(self.unit.path, self.config)
        patches: List[model.Patch] = []
        for v in list(self.unit.variables) + list(self.locals.values()):
            if struct_name(v.type) == "klp_patch" and v.type.kind == "struct" and v.init is not None:
                if any(p.var == v.name for p in patches):
                    continue
                patches.append(self.patch(v, name))
        return model.PatchModule(
            path=self.unit.path, unit=self.unit, patches=tuple(patches), modinfo=self.modinfo(),
            init_func=self.module_hook("__inittest", "init_module"),
            exit_func=self.module_hook("__exittest", "cleanup_module"),
            module_name=name, functions=self.functions, variables=self.variables,
            notes=tuple(self.notes), locals=self.locals, shadow_uses=self.shadow_uses())

    # ------------------------------------------------------------ module facts
    # (id argument index, obj argument index or None, ctor index, dtor index) per shadow call
    _SHADOW_ARGS = {
        "klp_shadow_get": (1, 0, None, None),
        "klp_shadow_alloc": (1, 0, 4, None),
        "klp_shadow_get_or_alloc": (1, 0, 4, None),
        "klp_shadow_free": (1, 0, None, 2),
        "klp_shadow_free_all": (0, None, None, 1),
    }

    def shadow_uses(self) -> Tuple[model.ShadowUse, ...]:
        out = []
        for f in self.unit.functions:
            if f.body is None:
                continue
            for n in walk(f.body):
                if not isinstance(n, ir.Call) or n.callee_name not in self._SHADOW_ARGS:
                    continue
                id_i, obj_i, ctor_i, dtor_i = self._SHADOW_ARGS[n.callee_name]

                def arg(i):
                    return n.args[i] if i is not None and i < len(n.args) else None

                def fn_name(i):
                    ref = self.func_ref(arg(i))
                    return ref.name if ref is not None else None

                out.append(model.ShadowUse(n.callee_name, f.name, c_text(arg(obj_i)), const_int(arg(id_i)),
                                           c_text(arg(id_i)), n.loc, fn_name(ctor_i), fn_name(dtor_i)))
        return tuple(out)

    def modinfo(self) -> Tuple[model.ModInfo, ...]:
        out = []
        for v in self.unit.variables:
            if v.section == ".modinfo" and isinstance(v.init, ir.StrLit) and "=" in v.init.value:
                tag, _, value = v.init.value.partition("=")
                out.append(model.ModInfo(tag, value, v.loc))
        return tuple(out)

    def module_hook(self, test_fn: str, alias_name: str) -> Optional[str]:
        """module_init(fn)/module_exit(fn): the kernel's macros define __inittest() { return fn; }
        and an alias init_module -> fn; an old-style module defines init_module itself."""
        f = self.functions.get(test_fn)
        if f is not None and f.body is not None:
            for n in walk(f.body):
                if isinstance(n, ir.Return) and n.value is not None:
                    ref = strip(n.value)
                    if isinstance(ref, ir.Unary) and ref.op == "&":
                        ref = ref.operand
                    if isinstance(ref, ir.Name):
                        return ref.name
        alias = self.functions.get(alias_name)
        if alias is not None:
            if alias.alias:
                return alias.alias
            if alias.body is not None:
                return alias.name
        return None

    # ------------------------------------------------------------ initializers
    def fields_of(self, init: ir.InitList, struct: str) -> Dict[str, _Field]:
        """Designated and positional items of a struct initializer, by field name."""
        order = self.unit.record_fields(struct) or _DEFAULT_FIELDS.get(struct, ())
        out: Dict[str, _Field] = {}
        pos = 0
        for item in init.items:
            if item.designators and isinstance(item.designators[0], str):
                field = item.designators[0]
                sub = item.designators[1:]
                if field in order:
                    pos = order.index(field) + 1
            else:
                if pos >= len(order):
                    self.notes.append(ir.Note(item.value.loc, f"positional initializer of struct {struct} "
                                              "beyond the fields klplint knows"))
                    continue
                field, sub = order[pos], ()
                pos += 1
            out.setdefault(field, _Field()).writes.append((sub, item.value, item.value.loc))
        return out

    def resolve_array(self, expr: Optional[ir.Expr]):
        """The initializer items of the array a table field points to, with its variable name and
        declared size: `funcs`, `&funcs[0]`, `&funcs`, or a compound literal."""
        e = strip(expr)
        if isinstance(e, ir.Cast) and isinstance(e.operand, ir.InitList):
            return None, e.operand, e.type.size
        if isinstance(e, ir.Unary) and e.op == "&":
            e = strip(e.operand)
            if isinstance(e, ir.Index) and const_int(e.index) == 0:
                e = strip(e.base)
        if isinstance(e, ir.Name):
            decl = self.variables.get(e.name) if e.kind in ("var", "unknown") else None
            if decl is None:
                decl = self.locals.get(e.name) or self.variables.get(e.name)
            if decl is not None and decl.type.kind == "array":
                if decl.init is None and self._written_at_run_time(decl.name):
                    return decl.name, None, decl.type.size
                init = decl.init if isinstance(decl.init, ir.InitList) else ir.InitList(decl.loc, ())
                return decl.name, init, decl.type.size
            if decl is not None and decl.type.kind == "struct" and isinstance(decl.init, ir.InitList):
                # `.objs = &single_object` : a one-element "array" with no terminator after it
                return decl.name, ir.InitList(decl.loc, (ir.InitItem((), decl.init),)), 1
        return None

    def _written_at_run_time(self, var: str) -> bool:
        """Some function assigns to an element (or a field of one) of the array `var`, or takes its
        address other than in a table: its contents are not those of its (zero) initializer."""
        if var in self._runtime_writes_memo:
            return self._runtime_writes_memo[var]
        found = False
        for fn in self.functions.values():
            if fn.body is None:
                continue
            for n in walk(fn.body):
                if isinstance(n, ir.Assign) or (isinstance(n, ir.Call) and n.callee_name in ("memcpy", "memset")):
                    target = n.target if isinstance(n, ir.Assign) else (n.args[0] if n.args else None)
                    while isinstance(target, (ir.Member, ir.Index, ir.Cast, ir.Unary)):
                        target = target.base if isinstance(target, (ir.Member, ir.Index)) else target.operand
                    if isinstance(target, ir.Name) and target.name == var:
                        found = True
                        break
            if found:
                break
        self._runtime_writes_memo[var] = found
        return found

    def table(self, expr, struct: str, entry_fn, walks_while) -> Optional[model.Table]:
        if expr is None or is_null(expr):
            return None
        resolved = self.resolve_array(expr)
        if resolved is None:
            self.notes.append(ir.Note(expr.loc, f"cannot follow the struct {struct} table "
                                      f"'{c_text(expr)}'; it is not checked"))
            return None
        var, init, size = resolved
        decl = self.variables.get(var) if var else None
        if decl is not None and decl.invalid:
            # clang dropped what it could not parse of the initializer: nothing to judge it by
            self.notes.append(ir.Note(decl.loc, f"could not analyse the struct {struct} table '{var}': "
                                      f"its initializer was rejected ({decl.invalid})"))
            return None
        if init is None:
            self.notes.append(ir.Note(expr.loc, f"the struct {struct} table '{var}' has no initializer (its "
                                      "entries are written at run time, if at all); it is not checked"))
            return None
        entries: List[Any] = []
        for item in init.items:
            if item.designators and isinstance(item.designators[0], int):
                idx = item.designators[0]
                while len(entries) < idx:
                    entries.append(entry_fn(ir.InitList(item.value.loc, ()), struct))
            entries.append(entry_fn(item.value, struct))
        walk_end = None
        for i, e in enumerate(entries):
            if not walks_while(e):
                walk_end = i
                break
        if walk_end is None and size is not None and size > len(entries):
            # the elements the initializer left out are zero: the first of them ends the walk
            walk_end = len(entries)
            entries.append(entry_fn(ir.InitList(init.end if init.end != ir.NOWHERE else expr.loc, ()), struct))
        return model.Table(var, tuple(entries), walk_end, expr.loc, size, init.end)

    @staticmethod
    def _as_init(value: ir.Expr) -> ir.InitList:
        v = strip(value)
        if isinstance(v, ir.InitList):
            return v
        if is_null(v):          # `{ 0 }`-style elements written as a bare 0
            return ir.InitList(value.loc, ())
        return ir.InitList(value.loc, (ir.InitItem((), value),))

    # ------------------------------------------------------------ the tables
    def patch(self, v: ir.VarDecl, module_name: str) -> model.Patch:
        assert v.init is not None       # extract() takes only initialized klp_patch variables
        f = self.fields_of(self._as_init(v.init), "klp_patch")
        mod = f.get("mod")
        objs = self.table(f["objs"].value, "klp_object", self.obj, self._object_continues) if "objs" in f else None
        states = self.table(f["states"].value, "klp_state", self.state,
                            lambda s: s.id not in (0, None) or (s.id is None and not s.is_zero)) \
            if "states" in f else None
        replace = bool(const_int(f["replace"].value)) if "replace" in f and f["replace"].value is not None else False
        return model.Patch(var=v.name, loc=v.loc, mod=c_text(mod.value) if mod and mod.value is not None else None,
                           mod_loc=mod.loc if mod else None, objs=objs, replace=replace, states=states,
                           module_name=module_name, decl=v,
                           objs_unresolved=objs is None and "objs" in f and not is_null(f["objs"].value))

    @staticmethod
    def _object_continues(o: model.KlpObject) -> bool:
        # klp_for_each_object_static: obj->funcs || obj->name
        return o.funcs is not None or o.funcs_unresolved or o.name is not None

    def obj(self, value: ir.Expr, struct: str) -> model.KlpObject:
        init = self._as_init(value)
        f = self.fields_of(init, "klp_object")
        name, name_loc = None, None
        if "name" in f and f["name"].value is not None and not is_null(f["name"].value):
            nv = strip(f["name"].value)
            name = nv.value if isinstance(nv, ir.StrLit) else c_text(nv)
            name_loc = f["name"].loc
        funcs_expr = f["funcs"].value if "funcs" in f else None
        funcs = self.table(funcs_expr, "klp_func", self.func, self._func_continues)
        unresolved = funcs is None and funcs_expr is not None and not is_null(funcs_expr)
        hooks = {}
        for role_field in ("patch_hooks", "unpatch_hooks"):
            hooks[role_field] = self.table(f[role_field].value, "klp_hook", self.hook,
                                           lambda h: h.func is not None) if role_field in f else None
        callbacks = self.callbacks(f["callbacks"]) if "callbacks" in f else None
        return model.KlpObject(
            name=name, funcs=funcs, patch_hooks=hooks["patch_hooks"], unpatch_hooks=hooks["unpatch_hooks"],
            callbacks=callbacks, loc=value.loc, name_loc=name_loc, is_zero=not init.items or all(
                is_null(it.value) for it in init.items),
            funcs_written_null=funcs_expr is not None and is_null(funcs_expr), funcs_unresolved=unresolved)

    def callbacks(self, field: _Field) -> model.Callbacks:
        roles: Dict[str, model.FuncRef] = {}
        dups = []
        loc = field.loc
        assert loc is not None          # fields_of() makes a field for a write
        for sub, value, wloc in field.writes:
            if sub:
                writes = [(sub[0], value, wloc)]
            else:
                init = self._as_init(value)
                cf = self.fields_of(init, "klp_callbacks")
                writes = [(r, v, l) for r, fl in cf.items() for (_, v, l) in fl.writes]
                loc = value.loc
            for role, v, l in writes:
                if role not in model.CALLBACK_ROLES:
                    continue
                if role in roles:
                    dups.append((role, l))
                ref = self.func_ref(v)
                if ref is not None:
                    roles[role] = ref
                else:
                    roles.pop(role, None)
        return model.Callbacks(**roles, loc=loc, duplicates=tuple(dups))

    def func_ref(self, value: Optional[ir.Expr]) -> Optional[model.FuncRef]:
        if value is None or is_null(value):
            return None
        e = strip(value)
        if isinstance(e, ir.Unary) and e.op == "&":
            e = strip(e.operand)
        if isinstance(e, ir.Name) and (e.kind == "func" or e.name in self.functions):
            return model.FuncRef(e.name, value.loc, value)
        return model.FuncRef(None, value.loc, value)

    @staticmethod
    def _func_continues(fn: model.KlpFunc) -> bool:
        # klp_for_each_func_static: func->old_name || func->new_func || func->old_sympos
        return fn.old_name is not None or fn.new_func is not None or bool(fn.old_sympos)

    def func(self, value: ir.Expr, struct: str) -> model.KlpFunc:
        init = self._as_init(value)
        f = self.fields_of(init, "klp_func")
        old_name = None
        if "old_name" in f and f["old_name"].value is not None and not is_null(f["old_name"].value):
            ov = strip(f["old_name"].value)
            old_name = ov.value if isinstance(ov, ir.StrLit) else c_text(ov)
        new_func = self.func_ref(f["new_func"].value) if "new_func" in f else None
        sympos = const_int(f["old_sympos"].value) if "old_sympos" in f else None
        return model.KlpFunc(old_name, new_func, sympos, value.loc,
                             is_zero=old_name is None and new_func is None and not sympos)

    def hook(self, value: ir.Expr, struct: str) -> model.Hook:
        init = self._as_init(value)
        f = self.fields_of(init, "klp_hook")
        ref = self.func_ref(f["hook"].value) if "hook" in f else None
        return model.Hook(ref, value.loc, is_zero=ref is None)

    def state(self, value: ir.Expr, struct: str) -> model.KlpState:
        init = self._as_init(value)
        f = self.fields_of(init, "klp_state")
        sid = const_int(f["id"].value) if "id" in f else 0
        ver = const_int(f["version"].value) if "version" in f else 0
        return model.KlpState(sid, ver, value.loc, is_zero=not sid and not ver)


def extract(unit: ir.TranslationUnit, config=None) -> model.PatchModule:
    return Extractor(unit, config).extract()
