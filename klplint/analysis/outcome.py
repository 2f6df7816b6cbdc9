"""How a statement ends (Flow), and the outcome triples the executor passes up: (flow, state, payload)."""
from __future__ import annotations

import enum
from typing import Any, Tuple

from klplint.analysis.state import State


class Flow(enum.Enum):
    """How control leaves a statement. The payload of an outcome depends on it."""

    NORMAL = "n"        # falls through to the next statement (payload None)
    RETURN = "r"        # `return` (payload: (value or None, the ir.Return))
    GOTO = "g"          # `goto` (payload: the label)
    BREAK = "b"         # `break` (payload None)
    CONTINUE = "c"      # `continue` (payload None)


# The members as module constants: the executor tests one for every statement it runs, and reading
# a module global is several times faster than reading an attribute of an Enum class.
NORMAL, RETURN, GOTO, BREAK, CONTINUE = Flow.NORMAL, Flow.RETURN, Flow.GOTO, Flow.BREAK, Flow.CONTINUE

# (flow, state after the statement, payload)
Outcome = Tuple[Flow, State, Any]
