"""Values of same-file helpers that fell off their end without `return`, tracked until a hook uses them."""
from __future__ import annotations

from typing import NamedTuple, Optional, Tuple

from klplint import ir
from klplint.analysis.events import MissingReturn
from klplint.analysis.state import State
from klplint.analysis.values import Sym
from klplint.ir.flow import falls_off

# Path-state flag of a ghost path (see ghost()): it exists to learn whether the hook uses a result a
# helper's shape lets it leave undefined, records no event but that KLP209 and ends with the hook.
GHOST = "falloff-ghost"


class FellOff(NamedTuple):
    """A path-state flag: symbol `sym` is what `function` left in the return register when it reached
    its end without a `return`. C makes that undefined only once the caller uses the value, so the
    flag waits for a use (a test, or the hook returning it) instead of reporting the helper at once."""
    sym: int
    function: str
    loc: ir.Location
    end: Optional[ir.Location] = None   # not on an executed path: by its shape, past this statement


def mark(s: State, sym: int, fn: ir.FunctionDecl) -> State:
    return s.with_flag(FellOff(sym, fn.name, fn.loc))


def shape_end(ex, fn: ir.FunctionDecl) -> Optional[ir.Location]:
    """Where `fn` runs into its closing brace by the shape of its code (ir.flow), once per function."""
    cache = ex.shape_ends
    if fn.name not in cache:
        cache[fn.name] = falls_off(fn)
    return cache[fn.name]


def ghost(ex, s: State, fn: ir.FunctionDecl, end: ir.Location) -> Tuple[Sym, State]:
    """A helper can fall off its end by its shape, though no path the scenario allows reaches it (its
    switch has no default, and the core only passes the states its cases handle). C compilers reject
    that (-Wreturn-type); it matters to the hook only if the hook uses the result. So the call also
    returns, from the state after one of its executed paths, a fresh value marked as fallen off, on a
    ghost path that goes on through the hook to find whether it tests or returns that value."""
    r, x = ex.fresh_sym(s)
    x = x.with_flag(FellOff(r.id, fn.name, fn.loc, end))
    return r, x.with_flag(GHOST)


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
    return clear(ex.event(s, f.loc, MissingReturn(role, f.function, f.end)), f)
