"""Rule families; importing this package registers every rule and its checks."""
from __future__ import annotations

import importlib
from typing import Callable, Dict, List

# Structural checks: (rule id, function(PatchModule) -> iterable of Finding)
STRUCTURAL_CHECKS: List[tuple] = []


def structural(rule_id: str) -> Callable:
    def deco(fn):
        STRUCTURAL_CHECKS.append((rule_id, fn))
        return fn
    return deco


for _family in ("structure", "lifecycle", "shadow", "states", "meta"):
    try:
        importlib.import_module(f"{__name__}.{_family}")
    except ModuleNotFoundError as e:   # a family not written yet
        if e.name != f"{__name__}.{_family}":
            raise

# KLP5xx live with the kpatch front end (they need the diff, not only the patch model).
importlib.import_module("klplint.kpatch.rules")
