"""Changed-function detection: functions whose body differs between the pre- and post-image, compared
on the IR with source locations left out (so a shifted line or an edited comment is no change)."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from klplint import ir


@dataclass(frozen=True)
class FileChange:
    """What the diff does to the functions and globals of one .c file."""
    changed: Tuple[ir.FunctionDecl, ...]     # in both images, with another body (post-image decl)
    added: Tuple[ir.FunctionDecl, ...]       # only in the post-image
    removed: Tuple[str, ...]                 # only in the pre-image
    inits_changed: Tuple[Tuple[ir.VarDecl, Optional[ir.VarDecl]], ...]   # (post, pre) of globals whose initializer changed


# __UNIQUE_ID(x) numbers names with __COUNTER__: a macro used one more time earlier in the file renumbers
# every later one without changing any code (kpatch-build's create-diff-object correlates them too).
_UNIQUE = re.compile(r"^(__UNIQUE_ID_\w*?_)\d+$")


def shape(node):
    """A location-free, hashable image of an IR node: equal shapes, equal code."""
    if isinstance(node, (ir.Location,)):
        return None
    if isinstance(node, str):
        return _UNIQUE.sub(r"\1#", node)
    if isinstance(node, ir.IntLit) and node.loc.line and node.value == node.loc.line:
        return (_LINE, node.value)      # maybe __LINE__: see same()
    if isinstance(node, tuple):
        return tuple(shape(x) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__,) + tuple(
            shape(getattr(node, f.name)) for f in dataclasses.fields(node)
            if f.name not in ("loc", "end") and not isinstance(getattr(node, f.name), ir.Location))
    return node


_LINE = "IntLit=line"


def same(a, b) -> bool:
    """Equal shapes, where a number equal to its own line number (__LINE__: might_sleep(), WARN(),
    lockdep keys) matches the same number or another line's number: it moves with the code, as
    kpatch-build's line-macro check knows, so a line shift alone is no change."""
    if a == b:
        return True
    if isinstance(a, tuple) and isinstance(b, tuple):
        if a[:1] == (_LINE,) or b[:1] == (_LINE,):
            if a[:1] == b[:1] == (_LINE,):
                return True
            def value(x):
                return x[1] if len(x) == 2 and x[0] in (_LINE, "IntLit") else None
            return value(a) is not None and value(a) == value(b)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return False


def _defined(unit: ir.TranslationUnit) -> Dict[str, ir.FunctionDecl]:
    return {f.name: f for f in unit.functions if f.body is not None}


def _definitions(unit: ir.TranslationUnit) -> Dict[str, ir.VarDecl]:
    """Each global once: the declaration with the initializer when it is declared more than once."""
    out: Dict[str, ir.VarDecl] = {}
    for v in unit.variables:
        if v.name not in out or (out[v.name].init is None and v.init is not None):
            out[v.name] = v
    return out


def compare(pre: Optional[ir.TranslationUnit], post: ir.TranslationUnit) -> FileChange:
    before = _defined(pre) if pre is not None else {}
    after = _defined(post)
    changed: List[ir.FunctionDecl] = []
    added: List[ir.FunctionDecl] = []
    for name, f in after.items():
        old = before.get(name)
        if old is None:
            added.append(f)
        elif not same(shape((old.type, old.params, old.body, old.section)), shape((f.type, f.params, f.body, f.section))):
            changed.append(f)
    removed = tuple(n for n in before if n not in after)
    old_vars = _definitions(pre) if pre is not None else {}
    inits = []
    for v in _definitions(post).values():
        o = old_vars.get(v.name)
        if o is not None and v.is_global and not same(shape(o.init), shape(v.init)):
            inits.append((v, o))
    return FileChange(tuple(changed), tuple(added), removed, tuple(inits))
