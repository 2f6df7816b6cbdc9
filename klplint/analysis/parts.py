"""The executor as its parts (Memory, Evaluate, Calls) see it, declared for the type checker."""
from __future__ import annotations

from typing import Any, TYPE_CHECKING, Callable, Dict, List, Optional, Set, Tuple

if TYPE_CHECKING:
    from klplint import ir
    from klplint.analysis.context import Frame, StepCtx
    from klplint.analysis.events import Event
    from klplint.analysis.outcome import Outcome
    from klplint.analysis.state import State
    from klplint.analysis.values import Addr, Global, Key, Region, Sym, Value
    from klplint.config.settings import Budgets
    from klplint.patch.model import PatchModule


class ExecutorParts:
    """Base of the executor's parts. At run time it is empty; the declarations below say what each
    part may use of the others (Executor in execute.py defines them all)."""

    if TYPE_CHECKING:
        module: PatchModule
        budgets: Budgets
        kapi: Callable[[str], Optional[Callable]]
        ctx: Optional[StepCtx]
        base_depth: int
        stmts: int
        side_events: List[Event]
        compares: List[Tuple]
        executed_calls: Dict[Tuple, set]
        shadow_frees: List[Tuple]
        unsure_globals: Set[str]
        _static_locals: Dict[Tuple[str, str], ir.VarDecl]
        _globals: Dict[str, Global]
        _literals: Dict[object, Value]
        _ev_table: Dict[type, Callable]
        _addr_table: Dict[type, Callable]

        # execute.py
        def tick(self, s: State) -> State: ...
        def event(self, s: State, loc: ir.Location, payload: Any) -> State: ...
        def fact(self, loc: ir.Location, payload: Any) -> None: ...
        def crash(self, s: State) -> list: ...
        def incomplete(self, s: State, loc: ir.Location, reason: str, taint: bool = True) -> State: ...
        def fresh_sym(self, s: State) -> Tuple[Sym, State]: ...
        def types_of(self, fn: ir.FunctionDecl) -> Dict[str, ir.Type]: ...
        def exec_block(self, block: Tuple[ir.Stmt, ...], start: int, s: State, fr: Frame,
                       owner=None) -> List[Outcome]: ...

        # memory.py
        def region_of_name(self, e: ir.Name, fr: Frame) -> Region: ...
        def load(self, s: State, key: Key) -> Tuple[Value, State]: ...
        def store(self, s: State, key: Addr, value: Value, text: Optional[str] = None) -> State: ...
        def clear_region(self, s: State, region: Region, path=(), havoc: bool = False,
                         zero: bool = False) -> State: ...
        def escape(self, s: State, value: Value) -> State: ...

        # evaluate.py
        def ev(self, e: ir.Expr, s: State, fr: Frame) -> List[Tuple[Value, State]]: ...
        def truth(self, v: Value, s: State) -> Tuple[List[State], List[State]]: ...
        def branch(self, e: ir.Expr, s: State, fr: Frame) -> Tuple[List[State], List[State]]: ...
        def compare(self, op: str, a: Value, b: Value, s: State, loc) -> Tuple[List[State], List[State]]: ...
        def read(self, s: State, key: Addr) -> Tuple[Value, State]: ...
        def addr(self, e: ir.Expr, s: State, fr: Frame,
                 for_read: Optional[bool] = False) -> List[Tuple[Addr, State]]: ...

        # calls.py
        def ev_call(self, e: ir.Call, s: State, fr: Frame) -> List[Tuple[Value, State]]: ...
        def call_function(self, fn: ir.FunctionDecl, args: Tuple, s: State, depth: int,
                          loc: Optional[ir.Location] = None) -> List[Tuple]: ...
