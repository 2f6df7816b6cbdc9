"""Static storage still as C initialised it: a timer or work item in a static no code has set up."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.values import HAVOC, ZEROED, Global, Ptr, StaticLocal, Value

# Kernel calls that (re)arm or test a timer or work item they are given the address of: they change
# its scheduling state, which the engine tracks as a resource, but never set it up (that is
# timer_setup()/INIT_WORK()). A timer callback or work function re-arming itself writes nothing the
# engine reads (klplint/analysis/statics.py). Cancelling from there still counts: the engine would
# otherwise take the item for armed when it may not be.
REARM_CALLS = frozenset({
    "mod_timer", "add_timer", "timer_reduce", "add_timer_on", "timer_pending", "schedule_work",
    "queue_work", "queue_work_on", "schedule_delayed_work", "mod_delayed_work_system",
    "queue_delayed_work", "mod_delayed_work", "schedule_delayed_work_on", "queue_delayed_work_on",
    "mod_delayed_work_on", "work_pending", "delayed_work_pending"})


def never_set_up(cx: CallCtx, v: Optional[Value]) -> bool:
    """Does v point into a static without an initializer that nothing on this path has written
    (no store, no init call such as timer_setup()/INIT_WORK(), no escape to unknown code)? It is
    then all zero, as C leaves it, in this scenario."""
    if type(v) is not Ptr:
        return False
    region = v.region
    if type(region) is Global:
        decl = cx.ex.module.variables.get(region.name)
    elif type(region) is StaticLocal:
        decl = cx.ex._static_locals.get((region.function, region.name))
    else:
        return False
    if decl is None or decl.init is not None or decl.storage == "extern":
        return False
    if region.name in cx.ex.unsure_globals:
        return False                  # code klplint does not run may set it up
    path = v.path
    n = len(path)
    for (r, p) in cx.s.mem:
        if r != region:
            continue
        if p and p[-1] in (HAVOC, ZEROED):
            p = p[:-1]                # a marker: everything under p was forgotten or zeroed
        # a write at the object, inside it, or over something containing it
        if p[:n] == path or path[:len(p)] == p:
            return False
    return True
