"""Models of kernel calls, one module per family; importing this package registers every model.

A model gets a `CallCtx` (the executor, the call, its argument values, the state) and returns the
possible (result, state) pairs. A call with no model and no body in the file is unknown: its result
is unknown and its pointer arguments escape. No model ever invents a finding from an unknown value.
"""
# Each family registers its models on import (the order does not matter: names are disjoint).
from klplint.analysis.kapi import (  # noqa: F401 (registration on import)
    alloc,
    errptr,
    handles,
    livepatch,
    locks,
    pure,
    registrations,
    strings,
    symbols,
)
from klplint.analysis.kapi.registry import MODELS, is_modelled, lookup, model

__all__ = ["MODELS", "is_modelled", "lookup", "model"]
