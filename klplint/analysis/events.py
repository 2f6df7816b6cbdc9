"""What the engine reports (Event) and the rule hooks that turn events into findings."""
from __future__ import annotations

from collections import namedtuple
from typing import Callable, Dict, List, Tuple

# What the engine reports; rule modules turn events into findings.
Event = namedtuple("Event", "kind loc data trace nstmt function role scenario")

# ------------------------------------------------------------------ rule hooks

EVENT_HANDLERS: Dict[str, List[Callable]] = {}
ANALYSIS_CHECKS: List[Tuple[str, Callable]] = []


def on_event(*kinds: str):
    """Register fn(event, analysis) -> iterable of Finding for events of these kinds."""
    def deco(fn):
        for k in kinds:
            EVENT_HANDLERS.setdefault(k, []).append(fn)
        return fn
    return deco


def on_analysis(rule_id: str):
    """Register fn(analysis) -> iterable of Finding, run once per module after all scenarios."""
    def deco(fn):
        ANALYSIS_CHECKS.append((rule_id, fn))
        return fn
    return deco
