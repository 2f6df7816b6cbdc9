"""A place in a source file (file, line, column): shared by the IR, findings and the result cache.

Kept apart from ir.py so that what only reports findings (a run served from the result cache, the
reporters) does not pay for defining the IR's forty node classes at start-up."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """file:line:col, 1-based; line 0 means the whole file."""
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


NOWHERE = Location("<unknown>", 0, 0)
