"""Budgets of the executor: work (statements, paths, live states) counted per hook run, per scenario
and per file ends an analysis with a KLP213 note, the same on every machine; the clock is a last resort."""
from __future__ import annotations

import time
from typing import Optional, Tuple

MAX_TRACE = 80

# The time source of the last-resort wall-clock limit. Module-level so that a test can slow the
# clock down and show that it never decides what is found.
clock = time.monotonic

# Statements between two readings of the clock: reading it is the only thing the budget does that
# is not pure counting, and a reading per statement would cost more than the statement.
CLOCK_EVERY = 4096

# What a Budget ends (Budget.kind). A hook run's budget gives that hook up; the scenario's ends the
# scenario (the next one starts afresh); the file's and the clock's end the whole analysis.
HOOK, SCENARIO, FILE, TIME = "statements", "scenario", "file", "time"


class Budget(Exception):
    """A budget was hit; the reason becomes a KLP213 note. `kind` says what it ends (HOOK ... TIME)."""

    def __init__(self, reason: str, kind: str = HOOK):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.noted = False      # its KLP213 note is already recorded (at the step it stopped)

    @property
    def ends_analysis(self) -> bool:
        return self.kind in (FILE, TIME)


class Work:
    """The work one file's analysis has done and may still do.

    Counted: statements executed (Executor.tick, once per statement, on every path) and paths, the
    states each lifecycle step leaves (lifecycle steps and the core's steps inside
    klp_enable_patch(), cached or not). Both have a limit per scenario and per file (Budgets); the
    live states at any point are capped separately (Budgets.max_paths, `frontier.Frontier`). The
    counts depend only on the input and the configuration, so a budget ends the analysis at the
    same point on an idle and on a loaded machine. The wall clock (Budgets.file_seconds) is read
    every CLOCK_EVERY statements and at each scenario; its limit is set far above what the work
    budgets allow, so it only ends an analysis when the machine is pathologically slow."""

    __slots__ = ("budgets", "statements", "paths", "stop", "_scen_statements", "_scen_paths",
                 "_next_clock", "_deadline")

    def __init__(self, budgets, deadline: Optional[float] = None):
        self.budgets = budgets
        self.statements = 0             # executed so far in this file
        self.paths = 0                  # left by lifecycle steps so far in this file
        self._scen_statements = 0       # `statements` when the current scenario began
        self._scen_paths = 0
        self._next_clock = CLOCK_EVERY
        self._deadline = deadline if deadline is not None else clock() + budgets.file_seconds
        self.stop = 0
        self._set_stop()

    def _set_stop(self) -> None:
        """The statement count at which Executor.tick() must call over() (the fast path is one
        comparison per statement)."""
        b = self.budgets
        self.stop = min(self._scen_statements + b.scenario_statements, b.file_statements, self._next_clock)

    # -------------------------------------------------- scenarios
    def begin_scenario(self) -> None:
        """A lifecycle scenario (or a shadow ctor/dtor run) starts: its own counts start at 0."""
        self._scen_statements = self.statements
        self._scen_paths = self.paths
        self._check_clock()
        self._set_stop()

    def left(self) -> Tuple[int, int]:
        """What the current scenario may still spend (statements, paths): a step's result cut by a
        budget is only reused from the step cache when the same was left as when it was made."""
        b = self.budgets
        return (min(b.scenario_statements - (self.statements - self._scen_statements),
                    b.file_statements - self.statements),
                min(b.scenario_paths - (self.paths - self._scen_paths), b.file_paths - self.paths))

    # -------------------------------------------------- counting
    def over(self) -> None:
        """Executor.tick() passed `stop`: a statement budget ran out (raise) or the clock is due."""
        b = self.budgets
        if self.statements > b.file_statements:
            raise Budget(f"more than {b.file_statements} statements executed for this file (the file's "
                         "work budget); later scenarios were not explored", FILE)
        if self.statements - self._scen_statements > b.scenario_statements:
            raise Budget(f"more than {b.scenario_statements} statements executed in one lifecycle "
                         "scenario (the scenario's work budget); the rest of it was not explored", SCENARIO)
        self._next_clock = self.statements + CLOCK_EVERY
        self._check_clock()
        self._set_stop()

    def count_paths(self, n: int) -> None:
        """A lifecycle step left `n` states."""
        self.paths += n
        b = self.budgets
        if self.paths > b.file_paths:
            raise Budget(f"more than {b.file_paths} paths through lifecycle steps for this file (the "
                         "file's work budget); later scenarios were not explored", FILE)
        if self.paths - self._scen_paths > b.scenario_paths:
            raise Budget(f"more than {b.scenario_paths} paths through the lifecycle steps of one scenario "
                         "(the scenario's work budget); the rest of it was not explored", SCENARIO)

    def _check_clock(self) -> None:
        if clock() > self._deadline:
            raise Budget(f"the analysis of this file took more than {self.budgets.file_seconds:g} s "
                         "(the wall-clock limit, a last resort: the machine is far slower than the work "
                         "budgets assume); later scenarios were not explored", TIME)
