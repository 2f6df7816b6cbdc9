"""What the core has set up when it calls a hook: each klp_object's mod and patched, a completed transition."""
# A hook receives one object as `obj`, but code may reach the others too: by walking `patch.objs`
# or the objects array with a pointer up to its terminator, or by indexing it. Their core-owned
# fields are the core's, not the initializer's: `mod` is set (klp_find_object_module(), and
# klp_module_coming()) while the target module is loaded and cleared when it goes
# (klp_cleanup_module_patches_limited()); `patched` is set by klp_patch_object() and cleared by
# klp_unpatch_object(). This module replays a scenario's steps and says, for each core call, what
# every object of the patch holds then, and whether the patch's patching transition has completed
# (after which the patches a .replace patch replaced are gone from the core's list: what
# klp_get_prev_state() walks).
from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

from klplint.analysis import lifecycle
from klplint.patch import model


class ObjView(NamedTuple):
    """One object as the core has left it: its module loaded (obj->mod set) and its functions patched."""

    loaded: bool
    patched: bool


class CallView(NamedTuple):
    """What a core call finds: every object of the patch, in order, and whether the patch's
    patching transition has completed (klp_complete_transition() to KLP_PATCHED) before it."""

    objects: Tuple[ObjView, ...]
    completed: bool


Views = Dict[int, CallView]


def object_views(patch: model.Patch, steps: Sequence[lifecycle.Step]) -> Views:
    """For each core call of `steps` (keyed by id(), nested enable calls included): what it finds."""
    objects = patch.objects
    first: Dict[str, int] = {}
    for k, o in enumerate(objects):
        first.setdefault(o.label, k)
    live: Set[str] = set()
    patched: List[bool] = [False] * len(objects)
    completed = [False]
    out: Views = {}

    def walk(seq: Sequence[lifecycle.Step]) -> None:
        for step in seq:
            if isinstance(step, lifecycle.Call):
                out[id(step)] = CallView(tuple(
                    ObjView(o.name is not None and (o.name in live or k == step.obj_index), patched[k])
                    for k, o in enumerate(objects)), completed[0])
            elif isinstance(step, lifecycle.ModuleCode):
                walk(step.enable_calls)
                if step.kind == "target_init":
                    live.add(step.module)
                elif step.kind == "target_exit":
                    live.discard(step.module)
            elif isinstance(step, lifecycle.CoreNote) and step.patch == patch.module_name:
                if step.act in (lifecycle.CoreAct.OBJECT_PATCHED, lifecycle.CoreAct.OBJECT_UNPATCHED) \
                        and step.obj in first:
                    patched[first[step.obj]] = step.act is lifecycle.CoreAct.OBJECT_PATCHED
                elif step.act is lifecycle.CoreAct.REPLACED:
                    patched[:] = [False] * len(objects)
                elif step.act is lifecycle.CoreAct.PATCHING_COMPLETE:
                    completed[0] = True

    walk(steps)
    return out


def views_key(views: Views, step: lifecycle.Step) -> Optional[tuple]:
    """What a step's result depends on of the views (the engine's step cache is keyed by it)."""
    if isinstance(step, lifecycle.Call):
        return views.get(id(step))
    if isinstance(step, lifecycle.ModuleCode) and step.enable_calls:
        return tuple(views.get(id(s)) for s in step.enable_calls if isinstance(s, lifecycle.Call))
    return None
