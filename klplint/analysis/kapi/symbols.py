"""Models of symbol lookups by name (kallsyms_lookup_name, a kprobe's addr): a symbol's address, resolved at run time."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.kapi import registrations  # noqa: F401 (register_kprobe, wrapped below)
from klplint.analysis.kapi.registry import MODELS, model
from klplint.analysis.values import VMLINUX, Int, KsymRegion, Ptr, Sym, fn_value, str_value

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


# ------------------------------------------------------------------ kprobes as a lookup

# Since 5.7 kallsyms_lookup_name() is not exported: modules plant a kprobe on it and call the
# address register_kprobe() wrote to `kp.addr`. A kprobe on a function the code names by
# `symbol_name` leaves that function's address there, so a call through it is a call of that
# kernel function (its model, when klplint has one).
_REGISTER_KPROBE = MODELS["register_kprobe"]


@model("register_kprobe", sleeps=True)
def _register_kprobe(cx: CallCtx):
    out = _REGISTER_KPROBE.fn(cx)
    kp = cx.arg(0)
    if type(kp) is not Ptr:
        return out
    res = []
    for r, s in out:
        if type(r) is Int and r.value == 0:
            v, s = cx.ex.load(s, (kp.region, kp.path + ("symbol_name",)))
            name = str_value(v)
            # a function of the file with that name is another one than the kernel's
            if name and name not in cx.ex.module.functions:
                s = cx.ex.store(s, (kp.region, kp.path + ("addr",)), fn_value(name))
        res.append((r, s))
    return res
