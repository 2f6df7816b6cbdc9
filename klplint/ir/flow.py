"""Whether control can reach a function's closing brace, judged by the shape of its code (as -Wreturn-type)."""
from __future__ import annotations

from typing import FrozenSet, Iterator, NamedTuple, Optional, Tuple

from klplint import ir
from klplint.ir.util import const_int, strip, walk

# Calls that never return: control does not go on after them. The engine's kernel-call models
# end a path at the same names (analysis/kapi/pure.py imports this set).
NORETURN: FrozenSet[str] = frozenset({
    "__bug", "BUG", "panic", "do_exit", "kthread_exit", "kthread_complete_and_exit", "__builtin_trap",
    "__builtin_unreachable",
})


class Flow(NamedTuple):
    """How a statement can be left: by completing normally, by a `break` or a `continue` of its
    enclosing loop or switch (a `return` or a `goto` leaves it by none of these)."""
    normal: bool
    brk: bool = False
    cont: bool = False


_DEAD = Flow(False)


def falls_off(fn: ir.FunctionDecl) -> Optional[ir.Location]:
    """Where `fn` can run into its closing brace without a `return`, or None when it cannot: the
    location of the last top-level statement that completes normally (a switch without a default, an
    `if` without an `else`...), or the function's own location when its body is empty.

    Values are not followed: only constant conditions (`while (1)`, `do ... while (0)`) and calls that
    never return count. A label that a `goto` names is reachable wherever it is. That is what C
    compilers judge by (-Wreturn-type, an error in kernel builds), and what a reader sees: a switch
    over an enum whose every case returns still falls off, since C lets the value be any integer."""
    if fn.body is None:
        return None
    targets = frozenset(n.label for n in walk(fn.body) if isinstance(n, ir.Goto))
    last: Optional[ir.Location] = None
    live = True
    for st in fn.body.body:
        live = _flow(st, live, False, targets).normal
        if live and not isinstance(st, (ir.Empty, ir.DeclStmt)):
            last = st.loc
    if not live:
        return None
    return last or fn.loc


def _noreturn_call(e: Optional[ir.Expr]) -> bool:
    e = strip(e)
    return isinstance(e, ir.Call) and isinstance(e.callee, ir.Name) and e.callee.name in NORETURN


def _flow(st: ir.Stmt, live: bool, in_switch: bool, targets: FrozenSet[str]) -> Flow:
    """`live`: control can enter `st` from before it; `in_switch`: the enclosing switch is entered, so a
    case label directly in it makes its statement reachable."""
    if isinstance(st, ir.Compound):
        brk = cont = False
        for child in st.body:
            f = _flow(child, live, in_switch, targets)
            live, brk, cont = f.normal, brk or f.brk, cont or f.cont
        return Flow(live, brk, cont)
    if isinstance(st, ir.Label):
        return _flow(st.body, live or st.name in targets, in_switch, targets)
    if isinstance(st, (ir.Case, ir.Default)):
        return _flow(st.body, live or in_switch, in_switch, targets)
    if isinstance(st, (ir.Return, ir.Goto)):
        return _DEAD
    if isinstance(st, ir.Break):
        return Flow(False, brk=live)
    if isinstance(st, ir.Continue):
        return Flow(False, cont=live)
    if isinstance(st, ir.ExprStmt):
        return _DEAD if live and _noreturn_call(st.expr) else Flow(live)
    if isinstance(st, ir.If):
        c = const_int(st.cond)
        then = _flow(st.then, live and c != 0, in_switch, targets)
        other = _flow(st.other, live and (c is None or c == 0), in_switch, targets) if st.other is not None \
            else Flow(live and (c is None or c == 0))
        return Flow(then.normal or other.normal, then.brk or other.brk, then.cont or other.cont)
    if isinstance(st, (ir.While, ir.For)):
        c = const_int(st.cond) if st.cond is not None else 1
        body = _flow(st.body, live and c != 0, in_switch, targets)
        # leaves by its condition turning false (never, when constant true) or by a break
        return Flow(body.brk or ((live or body.normal or body.cont) and (c is None or c == 0)))
    if isinstance(st, ir.DoWhile):
        c = const_int(st.cond)
        body = _flow(st.body, live, in_switch, targets)
        again = body.normal or body.cont          # reaches the condition
        return Flow(body.brk or (again and (c is None or c == 0)))
    if isinstance(st, ir.Switch):
        body = _flow(st.body, False, live, targets)
        has_default = any(isinstance(n, ir.Default) for n in _own_labels(st.body))
        return Flow(body.normal or body.brk or (live and not has_default), cont=body.cont)
    # declarations, empty and unsupported statements (asm...) complete when entered
    return Flow(live)


def _own_labels(st: ir.Stmt) -> Iterator[ir.Stmt]:
    """The case and default labels of the switch whose body is `st` (not those of nested switches)."""
    stack = [st]
    while stack:
        n = stack.pop()
        if isinstance(n, (ir.Case, ir.Default)):
            yield n
        if not isinstance(n, ir.Switch):
            stack.extend(_stmt_children(n))


def _stmt_children(n: ir.Stmt) -> Tuple[ir.Stmt, ...]:
    if isinstance(n, ir.Compound):
        return n.body
    if isinstance(n, (ir.Label, ir.Case, ir.Default, ir.While, ir.For, ir.DoWhile)):
        return (n.body,)
    if isinstance(n, ir.If):
        return (n.then,) if n.other is None else (n.then, n.other)
    return ()
