"""What the engine reports: the event kinds, one typed payload per kind, and the Event record.

The vocabulary (each kind, its payload, who emits it, which rule listens) is described in
klplint/analysis/README.md. The engine knows nothing of rules: it emits events, the pipeline hands
them to the checks of klplint/rules/registry.py.
"""
from __future__ import annotations

from enum import Enum
from typing import Any, Dict, NamedTuple, Optional, Tuple

from klplint.location import Location


class EventKind(str, Enum):
    """What happened. The values are the names used in traces and tests; they also fix the order
    in which the checks see the kinds (alphabetical by value)."""
    # on a path: deduplicated per (kind, location, payload), the shortest witness kept
    DEADLOCK_CALL = "deadlock_call"
    DOUBLE_RELEASE = "double_release"
    INCOMPLETE = "incomplete"
    LEAK = "leak"
    LOCK_HELD = "lock_held"
    MISSING_RETURN = "missing_return"
    NULL_DEREF = "null_deref"
    PARTIAL_ERROR_RETURN = "partial_error_return"
    PREV_STATE_CONTEXT = "prev_state_context"
    REACQUIRE = "reacquire"
    RELEASE_UNACQUIRED = "release_unacquired"
    SHADOW_EXISTS = "shadow_exists"
    SLEEP_ATOMIC = "sleep_atomic"
    TARGET_UNINIT = "target_uninit"
    USE_AFTER_RELEASE = "use_after_release"
    # facts about the code, whatever the path: every distinct one kept, in the order first seen
    MODSTATE_COMPARE = "modstate_compare"
    SHADOW_FREE = "shadow_free"

    @property
    def is_fact(self) -> bool:
        return self in FACT_KINDS

    @property
    def payload(self) -> type:
        return PAYLOAD_OF[self]


FACT_KINDS = frozenset({EventKind.MODSTATE_COMPARE, EventKind.SHADOW_FREE})


# ------------------------------------------------------------------ payloads, one per kind
# Heap and Res values are the engine's records of an allocation / a held resource (values.py);
# `origin` is the origin tag of a NULL or error-pointer value.

class DeadlockCall(NamedTuple):
    """A call that takes klp_mutex (or waits for the transition) from code that runs under it."""
    call: str                   # the kernel function called
    why: str                    # what it does that deadlocks, as a phrase


class DoubleRelease(NamedTuple):
    """A release of an object or resource already released on this path."""
    call: str
    what: str                   # the argument text
    heap: Any = None            # the Heap record, or
    res: Any = None             # the Res record
    harm: Optional[str] = None  # "crash" | "warn" for resources, None for heap objects


class Incomplete(NamedTuple):
    """A budget stopped the analysis: no verdict beyond this point."""
    reason: str


class Leak(NamedTuple):
    """Something taken and not released: lost when a hook returns, or still held at the end."""
    where: str                  # "return" (unreachable after a hook returned) | "end" (module gone)
    heap: Any = None
    res: Any = None
    ret: Optional[Location] = None      # where: return — the return statement
    ret_text: Optional[str] = None      # where: return — its value as text
    function: Optional[str] = None      # where: return — the hook that returned
    overwritten: bool = False           # where: return — taken by an earlier run, pointer overwritten
    gone: Optional[str] = None          # where: end — how the module went away, as a phrase
    replaced: bool = False              # seen in the scenario where a cumulative patch replaces this one


class LockHeld(NamedTuple):
    """A hook returns with a lock held."""
    lock_kind: str              # mutex, spinlock, ...
    lock: str                   # the lock's text
    ret: Optional[Location]


class MissingReturn(NamedTuple):
    """An int-returning hook or callback can fall off its end, or a same-file helper it calls does and
    the hook uses (tests or returns) the value the helper did not return."""
    role: str
    helper: Optional[str] = None    # the helper that fell off its end; None: the hook itself
    end: Optional[Location] = None  # on no executed path: by the shape of the code, past this statement


class NullDeref(NamedTuple):
    """A dereference of NULL or of an error pointer (the path ends there)."""
    origin: Any                 # where the NULL came from: ("objmod", ...), ("alloc", fn, loc), ...
    what: str                   # the expression or call, as text


class PartialErrorReturn(NamedTuple):
    """A patch hook returns an error after taking something."""
    taken: Tuple                # the Heap / Res records taken in this call
    ret: str                    # the returned value as text


class PrevStateContext(NamedTuple):
    """klp_get_prev_state() outside a transition."""
    role: str


class Reacquire(NamedTuple):
    """A resource taken again while still held (registered twice)."""
    res: Any
    call: str
    what: str


class ReleaseUnacquired(NamedTuple):
    """A release of something not taken on this path."""
    call: str
    what: str                   # the argument text
    harm: Optional[str]         # "crash" | "warn" | None (harmless)
    res_kind: Optional[str]     # the resource kind it would release
    desc: Optional[str] = None  # the resource, described


class ShadowExists(NamedTuple):
    """klp_shadow_alloc() where that (obj, id) already exists on this path."""
    heap: Any                   # the existing shadow variable
    shadow_id: Any
    obj: str                    # the obj argument as text


class SleepAtomic(NamedTuple):
    """A call that may sleep, in a shadow ctor/dtor (spinlock held, interrupts off)."""
    what: str                   # what sleeps, as a phrase
    call: str


class TargetUninit(NamedTuple):
    """A read through the target module's data before its init ran."""
    var: str
    what: str


class UseAfterRelease(NamedTuple):
    """A use of a heap object already freed on this path."""
    heap: Any
    what: str


class ModStateCompare(NamedTuple):
    """`obj->mod->state` compared with a constant (the event's role and function say where)."""
    const: int
    op: str


class ShadowFree(NamedTuple):
    """klp_shadow_free()/klp_shadow_free_all() executed (the event's role says in which role)."""
    shadow_id: Any              # None when klplint cannot compute the id


PAYLOAD_OF: Dict[EventKind, type] = {
    EventKind.DEADLOCK_CALL: DeadlockCall,
    EventKind.DOUBLE_RELEASE: DoubleRelease,
    EventKind.INCOMPLETE: Incomplete,
    EventKind.LEAK: Leak,
    EventKind.LOCK_HELD: LockHeld,
    EventKind.MISSING_RETURN: MissingReturn,
    EventKind.NULL_DEREF: NullDeref,
    EventKind.PARTIAL_ERROR_RETURN: PartialErrorReturn,
    EventKind.PREV_STATE_CONTEXT: PrevStateContext,
    EventKind.REACQUIRE: Reacquire,
    EventKind.RELEASE_UNACQUIRED: ReleaseUnacquired,
    EventKind.SHADOW_EXISTS: ShadowExists,
    EventKind.SLEEP_ATOMIC: SleepAtomic,
    EventKind.TARGET_UNINIT: TargetUninit,
    EventKind.USE_AFTER_RELEASE: UseAfterRelease,
    EventKind.MODSTATE_COMPARE: ModStateCompare,
    EventKind.SHADOW_FREE: ShadowFree,
}
KIND_OF: Dict[type, EventKind] = {cls: kind for kind, cls in PAYLOAD_OF.items()}
if len(KIND_OF) != len(PAYLOAD_OF) or set(PAYLOAD_OF) != set(EventKind):
    raise RuntimeError("events: every event kind needs exactly one payload type of its own")


class Event(NamedTuple):
    """One thing the engine saw: its kind and payload, where, the witness path that leads there,
    and the hook (function, role) and scenario it happened in."""
    kind: EventKind
    loc: Location
    payload: Any                # the payload type of `kind` (PAYLOAD_OF)
    trace: Tuple                # PathSteps from the start of the scenario
    nstmt: int                  # statements executed on the way (ranks witnesses)
    function: Optional[str]
    role: Optional[str]
    scenario: Optional[str]


def make(loc: Location, payload, trace: Tuple = (), nstmt: int = 0, function: Optional[str] = None,
         role: Optional[str] = None, scenario: Optional[str] = None) -> Event:
    """An Event for `payload`, its kind taken from the payload's type."""
    return Event(KIND_OF[type(payload)], loc, payload, trace, nstmt, function, role, scenario)
