"""Budgets of the executor: hitting one ends the analysis of a step with a KLP213 note."""
from __future__ import annotations

MAX_TRACE = 80


class Budget(Exception):
    """A budget was hit; the reason becomes a KLP213 note. kind 'time' ends the whole analysis."""

    def __init__(self, reason: str, kind: str = "statements"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
