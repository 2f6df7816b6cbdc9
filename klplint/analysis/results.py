"""Analysis: everything the engine learnt about one module, deduplicated; rule modules read it."""
from __future__ import annotations

from typing import Dict, List, Set, Tuple

from klplint import ir
from klplint.analysis import lifecycle
from klplint.analysis.events import Event
from klplint.analysis.statics import Statics
from klplint.patch import model

# ------------------------------------------------------------------ the analysis

class Analysis:
    """Everything the engine learnt about one module; rule modules read it."""

    def __init__(self, module: model.PatchModule, statics: Statics):
        self.module = module
        self.statics = statics
        self.events: Dict[tuple, Tuple[tuple, Event]] = {}   # discriminator -> (rank, event)
        self.compares: List[Tuple] = []
        self.executed_calls: Dict[Tuple, set] = {}
        self.shadow_frees: List[Tuple] = []
        self.released_by: Dict[ir.Location, Set[str]] = {}   # acquisition site -> roles that released it
        self.scenarios_run = 0

    def add(self, ev: Event, order: int) -> None:
        nsteps = sum(1 for p in ev.trace if p.kind == "scenario")
        rank = (nsteps, ev.nstmt, order, len(ev.trace))
        key = _discriminator(ev)
        cur = self.events.get(key)
        if cur is None or rank < cur[0]:
            self.events[key] = (rank, ev)

    def of_kind(self, *kinds: str) -> List[Event]:
        out = [(r, e) for (k, *_), (r, e) in self.events.items() if k in kinds]
        out.sort(key=lambda x: (x[1].loc, x[0]))
        return [e for _, e in out]


def _discriminator(ev: Event) -> tuple:
    parts = [ev.kind, ev.loc]
    for k in sorted(ev.data):
        v = ev.data[k]
        if hasattr(v, "site"):
            parts.append((k, v.site, getattr(v, "kind", None)))
        elif isinstance(v, (str, int, type(None), bool)):
            parts.append((k, v))
        elif isinstance(v, tuple):
            parts.append((k, repr(v)))
    return tuple(parts)


def _step_key(step) -> tuple:
    if isinstance(step, lifecycle.Call):
        return ("call", step.patch_index, step.role, step.function, step.obj_index, step.state,
                step.mod_null, step.must, step.hook_index)
    if isinstance(step, lifecycle.ModuleCode):
        return ("code", step.kind, step.module, step.patch_index,
                tuple(_step_key(s) for s in step.enable_calls), step.enable_result)
    return ("note", step.text)


_INTERESTING_NOTE = ("fail", "stall", "revers", "replaced", "refus", "cancel", "rejects", "loading module",
                     "initializing unpatching")
