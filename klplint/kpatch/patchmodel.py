"""The patch model kpatch-build would make from a diff: one klp_object per object the changed files are
linked into, the changed functions as its klp_funcs, KPATCH_*_CALLBACK records as its callbacks,
`.replace` set (kpatch-build's default), several files of one object merged."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Set

from klplint import ir
from klplint.ir.util import strip, walk
from klplint.kpatch.functions import FileChange
from klplint.kpatch.objects import Placement
from klplint.patch import model
from klplint.patch.extract import extract

CALLBACK_SECTION = ".kpatch.callbacks."


@dataclass(frozen=True)
class PatchedFile:
    """One .c file of the diff, parsed before and after, with the object it is linked into."""
    rel: str                      # path relative to the tree (as in the diff)
    path: str                     # the file in the tree: findings point at its post-image lines
    placement: Placement
    post: ir.TranslationUnit
    change: FileChange

    def callbacks(self) -> Dict[str, model.FuncRef]:
        """role -> function of each KPATCH_*_CALLBACK(fn) in the post-image."""
        out: Dict[str, model.FuncRef] = {}
        for v in self.post.variables:
            if not (v.section or "").startswith(CALLBACK_SECTION) or not isinstance(v.init, ir.InitList):
                continue
            role = v.section[len(CALLBACK_SECTION):]
            for item in v.init.items:
                if item.designators[:1] == ("fn",) or (not item.designators and item is v.init.items[0]):
                    e = strip(item.value)
                    if isinstance(e, ir.Unary) and e.op == "&":
                        e = strip(e.operand)
                    name = e.name if isinstance(e, ir.Name) else None
                    if role in model.CALLBACK_ROLES:
                        out[role] = model.FuncRef(name, v.loc, item.value)
        return out


def module_name(diff_path: str) -> str:
    """kpatch-build's name for the module: livepatch-<patch file name without extension>."""
    base = re.sub(r"\.(patch|diff)$", "", diff_path.rsplit("/", 1)[-1])
    return "livepatch-" + re.sub(r"[^A-Za-z0-9_-]", "-", base)


def _reach(functions: Dict[str, ir.FunctionDecl], roots: List[str]) -> Set[str]:
    """The roots and every function of these files they call, directly or not."""
    seen: Set[str] = set()
    todo = [r for r in roots if r in functions]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        body = functions[name].body
        for n in walk(body) if body is not None else ():
            if isinstance(n, ir.Call) and n.callee_name in functions:
                todo.append(n.callee_name)
            elif isinstance(n, ir.Name) and n.name in functions:
                todo.append(n.name)        # a function passed by address (a ctor, a work item)
    return seen


def build(diff_path: str, files: List[PatchedFile], config) -> model.PatchModule:
    """The PatchModule of the livepatch kpatch-build would generate for these files."""

    name = module_name(diff_path)
    by_object: Dict[Optional[str], List[PatchedFile]] = {}
    for f in files:
        by_object.setdefault(f.placement.module, []).append(f)
    # vmlinux first, then modules by name: the order kpatch-build writes them
    order = sorted(by_object, key=lambda m: (m is not None, m or ""))

    all_functions: Dict[str, ir.FunctionDecl] = {}
    for f in files:
        for fn in f.post.functions:
            if fn.body is not None:
                all_functions.setdefault(fn.name, fn)
    roots: List[str] = []
    for f in files:
        roots += [fn.name for fn in f.change.changed + f.change.added]
        roots += [ref.name for ref in f.callbacks().values() if ref.name]
    keep = _reach(all_functions, roots)
    functions = tuple(fn for f in files for fn in f.post.functions
                      if fn.body is None or fn.name in keep)
    first = files[0]
    unit = ir.TranslationUnit(
        path=first.path, functions=functions,
        variables=tuple(v for f in files for v in f.post.variables),
        includes=tuple(p for f in files for p in f.post.includes),
        records=tuple(r for f in files for r in f.post.records))
    base = extract(unit, config.with_(module_name=name))

    objects = []
    for obj in order:
        group = by_object[obj]
        changed = [fn for f in group for fn in f.change.changed]
        here = group[0].change.changed[0].loc if group[0].change.changed else ir.Location(group[0].path, 1, 1)
        funcs = tuple(model.KlpFunc(fn.name, model.FuncRef(fn.name, fn.loc), None, fn.loc) for fn in changed)
        table = model.Table(f"{(obj or 'vmlinux').replace('-', '_')}_funcs",
                            funcs + (model.KlpFunc(None, None, None, here, is_zero=True),), len(funcs), here)
        cbs: Dict[str, model.FuncRef] = {}
        for f in group:
            cbs.update(f.callbacks())
        callbacks = model.Callbacks(loc=next(iter(cbs.values())).loc, **cbs) if cbs else None
        objects.append(model.KlpObject(obj, table if funcs else None, None, None, callbacks, here, here))
    where = objects[0].loc if objects else ir.Location(first.path, 1, 1)
    objs = model.Table("objs", tuple(objects) + (model.KlpObject(None, None, None, None, None, where,
                                                                 is_zero=True),), len(objects), where)
    patch = model.Patch(var="patch", loc=where, mod="THIS_MODULE", mod_loc=where, objs=objs, replace=True,
                        module_name=name)
    modinfo = (model.ModInfo("license", "GPL", where), model.ModInfo("livepatch", "Y", where))
    return dataclasses.replace(base, patches=(patch,), modinfo=modinfo, module_name=name,
                               init_func=None, exit_func=None)
