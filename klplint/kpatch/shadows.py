"""Shadow variables attached by patched functions: code that runs on every call while the patch is
live, not once like a callback (KLP301 for `klp_shadow_alloc` on an object an earlier call may have
given a variable already)."""
from __future__ import annotations

from typing import Iterable, List, Optional, Set

from klplint import ir
from klplint.findings import Finding, PathStep
from klplint.ir.util import strip, walk
from klplint.rules.shadow import KLP301


def _root(e: Optional[ir.Expr]) -> Optional[ir.Name]:
    """The variable an object expression starts from (`p` in `p`, `&p->field`, `p->a.b`, `(void *)p`);
    None for anything else (a call's result)."""
    e = strip(e)
    while True:
        if isinstance(e, ir.Unary) and e.op in ("&", "*"):
            e = strip(e.operand)
        elif isinstance(e, ir.Member):
            e = strip(e.base)
        elif isinstance(e, ir.Index):
            e = strip(e.base)
        else:
            break
    return e if isinstance(e, ir.Name) else None


def _created_here(fn: ir.FunctionDecl) -> Set[str]:
    """Locals the function assigns from a call (copy_process(), kmalloc()...): objects it makes itself."""
    out: Set[str] = set()
    for n in walk(fn.body):
        if isinstance(n, ir.Assign) and n.op == "=" and isinstance(strip(n.target), ir.Name) \
                and isinstance(strip(n.value), ir.Call):
            out.add(strip(n.target).name)
        elif isinstance(n, ir.VarDecl) and isinstance(strip(n.init), ir.Call):
            out.add(n.name)
    return out


def repeated_allocs(functions: Iterable[ir.FunctionDecl]) -> List[Finding]:
    """KLP301 for klp_shadow_alloc(obj, ...) in a patched function when obj comes from its caller or
    a global: the next call for the same object finds the variable attached, warns and gets NULL."""
    out = []
    for fn in functions:
        if fn.body is None:
            continue
        made = _created_here(fn)
        params = {p.name for p in fn.params}
        for n in walk(fn.body):
            if not isinstance(n, ir.Call) or n.callee_name != "klp_shadow_alloc" or not n.args:
                continue
            root = _root(n.args[0])
            if root is None or root.name in made:
                continue
            if root.name in params:
                whence = f"its parameter '{root.name}'"
            elif root.kind == "var":
                whence = f"the global '{root.name}'"
            else:
                continue
            out.append(Finding(
                KLP301.id, KLP301.level,
                f"klp_shadow_alloc() in patched function {fn.name}() runs on every call while the patch is "
                f"live, on an object from {whence}: the next call for the same object finds the variable "
                "attached, warns and returns NULL; use klp_shadow_get_or_alloc()",
                n.loc, (PathStep(fn.loc, f"{fn.name}() is a patched function: the kernel calls it any number "
                                         "of times", "scenario"),), fn.name))
    return out
