"""The states arriving at one point of execution, merged and capped as they arrive so memory stays bounded."""
from __future__ import annotations

from typing import Iterable, List

from klplint.analysis.state import State, merge


class Frontier:
    """States arriving at one point (the next statement of a block, the next core step of
    klp_enable_patch(), the next lifecycle step), at most `cap` of them kept.

    Whenever 2 x cap have gathered they are merged and cut to the first `cap`. That gives exactly
    what merging them all at once and keeping the first `cap` would (merging keeps the order of first
    arrival, and a state that arrives once `cap` distinct ones are kept either joins one of them or
    is cut either way), but never holds more than 2 x cap states, where a step forking from each of
    `cap` states could otherwise hold cap² of them."""

    __slots__ = ("cap", "states", "cut")

    def __init__(self, cap: int, states: Iterable[State] = ()):
        self.cap = cap
        self.states: List[State] = list(states)
        self.cut = False            # some state was dropped

    def add(self, s: State) -> None:
        self.states.append(s)
        if len(self.states) >= 2 * self.cap:
            self._squeeze()

    def extend(self, states: Iterable[State]) -> None:
        for s in states:
            self.add(s)

    def __len__(self) -> int:
        return len(self.states)

    def _squeeze(self) -> None:
        self.states = merge(self.states)
        if len(self.states) > self.cap:
            self.states = self.states[: self.cap]
            self.cut = True

    def take(self) -> List[State]:
        """The states, merged and capped; `cut` tells whether any was dropped."""
        self._squeeze()
        return self.states
