"""How a livepatch module's module_init hands each patch to the core: enables it, or registers it (before 5.1)."""
from __future__ import annotations

from enum import Enum
from typing import Optional, Set

from klplint import ir
from klplint.ir.util import reachable, strip, walk
from klplint.patch import model


class InitMode(Enum):
    """What module_init does with a patch, read from the calls it (and the same-file functions it
    calls) makes. The lifecycle model needs it: before 5.1 a disabled patch stays registered and
    can be enabled again through sysfs, since 5.1 klp_enable_patch() frees it on disable."""
    ENABLES = "enables"                    # klp_enable_patch() only (5.1+), or nothing klplint sees
    REGISTERS = "registers"                # klp_register_patch() only: enabled by writing sysfs `enabled`
    REGISTERS_AND_ENABLES = "registers_and_enables"   # klp_register_patch(), then klp_enable_patch()

    @property
    def stays_registered(self) -> bool:
        """A disable leaves the patch on klp_patches until module_exit unregisters it."""
        return self is not InitMode.ENABLES


def _patch_arg(call: ir.Call) -> Optional[str]:
    """The variable named by `&patch` (or `patch`, a pointer); None for anything else."""
    if not call.args:
        return None
    a = strip(call.args[0])
    if isinstance(a, ir.Unary) and a.op == "&":
        a = strip(a.operand)
    return a.name if isinstance(a, ir.Name) and a.kind != "param" else None


def init_mode(module: model.PatchModule, patch: model.Patch) -> InitMode:
    """The InitMode of `patch`: a call naming another patch does not count for it; a call whose
    argument klplint cannot name (a helper's parameter, an expression) counts for every patch, as
    the klp_register_patch() model counts it when module_init runs."""
    names = {p.var for p in module.patches}
    seen: Set[str] = set()
    for name in sorted(reachable(module.functions, [module.init_func])):
        fn = module.functions[name]
        if fn.body is None:
            continue
        for n in walk(fn.body):
            if isinstance(n, ir.Call) and n.callee_name in ("klp_register_patch", "klp_enable_patch"):
                target = _patch_arg(n)
                if target is None or target == patch.var or target not in names:
                    seen.add(n.callee_name)
    if "klp_register_patch" in seen:
        return InitMode.REGISTERS_AND_ENABLES if "klp_enable_patch" in seen else InitMode.REGISTERS
    return InitMode.ENABLES
