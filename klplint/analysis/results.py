"""Analysis: everything the engine learnt about one module (its events, deduplicated); rule checks read it."""
from __future__ import annotations

from typing import Dict, List, Set, Tuple

from klplint import ir
from klplint.analysis import lifecycle
from klplint.analysis.events import Event, EventKind
from klplint.analysis.statics import Statics
from klplint.patch import model

# ------------------------------------------------------------------ the analysis

class Analysis:
    """Everything the engine learnt about one module; rule checks read it.

    Path events are kept once per discriminator (kind, location, payload), with the shortest
    witness; facts (EventKind.is_fact) every distinct one, in the order the engine first saw it."""

    def __init__(self, module: model.PatchModule, statics: Statics):
        self.module = module
        self.statics = statics
        self.events: Dict[tuple, Tuple[tuple, Event]] = {}   # discriminator -> (rank, event)
        self.facts: List[Event] = []
        self._fact_keys: Set[tuple] = set()
        self.released_by: Dict[ir.Location, Set[str]] = {}   # acquisition site -> roles that released it
        self.scenarios_run = 0

    def add(self, ev: Event, order: int) -> None:
        nsteps = sum(1 for p in ev.trace if p.kind == "scenario")
        rank = (nsteps, ev.nstmt, order, len(ev.trace))
        key = _discriminator(ev)
        cur = self.events.get(key)
        if cur is None or rank < cur[0]:
            self.events[key] = (rank, ev)

    def rank_of(self, ev: Event) -> tuple:
        """How good the witness of a kept path event is (smaller is better); facts have none."""
        if ev.kind.is_fact:
            return (0, 0, 0, 0)
        return self.events[_discriminator(ev)][0]

    def add_fact(self, ev: Event) -> None:
        key = (ev.kind, ev.loc, repr(ev.payload), ev.role, ev.function)
        if key not in self._fact_keys:
            self._fact_keys.add(key)
            self.facts.append(ev)

    def facts_of(self, kind: EventKind) -> List[Event]:
        return [e for e in self.facts if e.kind is kind]

    def of_kind(self, *kinds: EventKind) -> List[Event]:
        out = [(r, e) for (k, *_), (r, e) in self.events.items() if k in kinds]
        out.sort(key=lambda x: (x[1].loc, x[0]))
        return [e for _, e in out]


def _discriminator(ev: Event) -> tuple:
    parts = [ev.kind, ev.loc]
    fields = ev.payload._asdict()
    for k in sorted(fields):
        v = fields[k]
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
