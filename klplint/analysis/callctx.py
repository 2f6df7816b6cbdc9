"""CallCtx: what a kernel-call model receives (the executor, the call, its arguments, the state)."""
from __future__ import annotations

from typing import Optional, Tuple

from klplint import ir
from klplint.analysis.context import Frame
from klplint.analysis.parts import ExecutorParts
from klplint.analysis.state import State
from klplint.analysis.values import Value
from klplint.ir.util import c_text


class CallCtx:
    """What a kapi model sees of a call."""

    __slots__ = ("ex", "name", "call", "args", "s", "fr")

    def __init__(self, ex: ExecutorParts, name: str, call: ir.Call, args: Tuple[Value, ...], s: State,
                 fr: Frame):
        self.ex = ex
        self.name = name
        self.call = call
        self.args = args
        self.s = s
        self.fr = fr

    @property
    def loc(self) -> ir.Location:
        return self.call.loc

    def arg(self, i: int) -> Optional[Value]:
        return self.args[i] if i < len(self.args) else None

    def arg_text(self, i: int) -> str:
        return c_text(self.call.args[i]) if i < len(self.call.args) else ""
