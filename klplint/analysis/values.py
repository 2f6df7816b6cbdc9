"""Abstract values of the executor: integers, unknown symbols, addresses; heap objects and keyed resources."""
from __future__ import annotations

from collections import namedtuple
from typing import Optional

# ------------------------------------------------------------------ values

ZERO = ("I", 0, None)
ONE = ("I", 1, None)

MODULE_STATES = {"LIVE": 0, "COMING": 1, "GOING": 2, "UNFORMED": 3}
STATE_NAMES = {v: k for k, v in MODULE_STATES.items()}


def I(v: int, origin=None):
    return ("I", v, origin)


def P(region, path=()):
    return ("P", region, tuple(path))


def is_null(v) -> bool:
    return v[0] == "I" and v[1] == 0


def fn_value(name: str):
    return ("P", ("fn", name), ())


def fn_name(v) -> Optional[str]:
    if v[0] == "P" and v[1][0] == "fn":
        return v[1][1]
    return None


def str_value(v) -> Optional[str]:
    if v[0] == "P" and v[1][0] == "str" and not v[2]:
        return v[1][1]
    return None


def heap_id(v) -> Optional[int]:
    if v[0] == "P" and v[1][0] == "h":
        return v[1][1]
    return None


# A heap object (allocations, and handles such as kthreads and workqueues).
Heap = namedtuple("Heap", "kind api site desc name status escaped zeroed rel_loc rel_what "
                          "acq_role acq_fn acq_id extra failed")
# A keyed resource: a registration, an armed timer, a module reference...
Res = namedtuple("Res", "kind key status count site desc acq_role acq_fn acq_id rel_loc rel_what failed")

def _zero_tail(path):
    while path and path[-1] == 0:
        path = path[:-1]
    return path


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


_AGG = _Marker("AGG")
_UNKNOWN = _Marker("UNKNOWN")
