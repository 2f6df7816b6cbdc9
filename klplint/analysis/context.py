"""What the executor knows about the code it runs now: the lifecycle step, obj's binding, the frame."""
from __future__ import annotations

from typing import Dict, Optional, Tuple

from klplint import ir
from klplint.analysis.values import Local, ObjRegion

# ------------------------------------------------------------------ step context

class Binding:
    """What a hook's `obj` argument is during one lifecycle call."""

    def __init__(self, patch_index: int, obj_index: int, label: str, name: Optional[str],
                 mod_null: bool, state: Optional[str], objects: Tuple = (), completed: bool = False):
        self.patch_index = patch_index
        self.obj_index = obj_index
        self.label = label
        self.name = name
        self.mod_null = mod_null
        self.state = state
        self.objects = objects          # objects.ObjView of every object of the patch, in order
        self.completed = completed      # the patch's patching transition has completed before this call

    @property
    def region(self) -> ObjRegion:
        return ObjRegion(self.patch_index, self.obj_index)


class StepCtx:
    """Facts about the code being run now: which lifecycle step, which role, which obj."""

    def __init__(self, role: str, function: Optional[str], binding: Optional[Binding] = None,
                 in_hook: bool = False, atomic: int = 0, cnt0: int = 0, desc: str = "",
                 enable=None, patch=None):
        self.role = role                # pre_patch ... | patch_hook | lp_init | lp_exit | ctor | dtor
        self.function = function
        self.binding = binding
        self.in_hook = in_hook          # the core called it with klp_mutex held
        self.atomic = atomic            # > 0: a shadow ctor/dtor (spinlock held, irqs off)
        self.cnt0 = cnt0                # resources with an id >= cnt0 were taken during this step
        self.desc = desc
        self.enable = enable            # lp_init: callback running the core's enable steps
        self.patch = patch              # the model.Patch of the scenario
        self.target_syms: Dict[int, str] = {}   # symbols read from the target's data before its init


class Frame:
    """One call being run: its depth (locals are keyed by it), the function, its names' types."""

    __slots__ = ("depth", "fn", "types", "locals")

    def __init__(self, depth: int, fn: ir.FunctionDecl, types: Dict[str, ir.Type]):
        self.depth = depth
        self.fn = fn
        self.types = types
        self.locals: Dict[str, Local] = {}      # the regions of its locals, made once per call
