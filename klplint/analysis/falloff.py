"""Values of same-file helpers that fell off their end without `return`, tracked until a hook uses them."""
from __future__ import annotations

from typing import NamedTuple, Optional

from klplint import ir
from klplint.analysis.events import MissingReturn
from klplint.analysis.state import State


class FellOff(NamedTuple):
    """A path-state flag: symbol `sym` is what `function` left in the return register when it reached
    its end without a `return`. C makes that undefined only once the caller uses the value, so the
    flag waits for a use (a test, or the hook returning it) instead of reporting the helper at once."""
    sym: int
    function: str
    loc: ir.Location


def mark(s: State, sym: int, fn: ir.FunctionDecl) -> State:
    return s.with_flag(FellOff(sym, fn.name, fn.loc))


def find(s: State, sym: int) -> Optional[FellOff]:
    """The helper whose missing result `sym` is on this path, if any."""
    if len(s.flags) == 0:
        return None
    for f in s.flags:
        if type(f) is FellOff and f.sym == sym:
            return f
    return None


def clear(s: State, only: Optional[FellOff] = None) -> State:
    """Drop the flag `only` (once its use is reported) or all of them (the hook returned: the symbols
    it did not use are of no more interest, and states that differ only in them should merge)."""
    if only is not None:
        return s.with_flag(only, on=False)
    gone = frozenset(f for f in s.flags if type(f) is FellOff)
    if not gone:
        return s
    n = s.copy()
    n.flags = s.flags - gone
    return n


def used(ex, s: State, sym: int) -> State:
    """`sym` is tested on this path: if a helper fell off its end to produce it, that is the hook's
    KLP209 (reported at the helper, once per path)."""
    f = find(s, sym)
    if f is None:
        return s
    role = ex.ctx.role if ex.ctx is not None else ""
    return clear(ex.event(s, f.loc, MissingReturn(role, f.function)), f)
