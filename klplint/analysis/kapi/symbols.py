"""Models of symbol lookups by name (kallsyms_lookup_name): the address of a symbol, resolved at run time."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.kapi.registry import model
from klplint.analysis.values import VMLINUX, KsymRegion, Sym, str_value

# ------------------------------------------------------------------ kallsyms


def _owner(cx: CallCtx, name: str) -> Optional[str]:
    """The module whose symbol `name` is: the one a "mod:sym" name names, else the object whose
    callback or hook looks it up (vmlinux's looks up vmlinux's data), else unknown (module_init)."""
    if ":" in name:
        return name.split(":", 1)[0] or None
    ctx = cx.ex.ctx
    b = ctx.binding if ctx is not None else None
    if b is None:
        return None
    if b.name is None:
        # module_kallsyms_lookup_name() searches the modules only: not vmlinux's, whose is unknown
        return VMLINUX if cx.name == "kallsyms_lookup_name" else None
    return b.name


@model("kallsyms_lookup_name", "module_kallsyms_lookup_name")
def _lookup_name(cx: CallCtx):
    """An unknown value (0 when the lookup fails) that, where klplint reads the name, is that
    symbol's address: a dereference reaches the symbol's data as an `extern` of it would."""
    n, s = cx.s.fresh()
    arg = cx.arg(0)
    name = str_value(arg) if arg is not None else None
    if not name:
        return [(Sym(n), s)]
    sym = name.split(":", 1)[1] if ":" in name else name
    return [(Sym(n, KsymRegion(sym, _owner(cx, name))), s)]
