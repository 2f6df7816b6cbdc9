"""Compare the model's predicted calls with the calls the kernel made, and show both side by side."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Sequence, Tuple

Call = Mapping[str, Any]   # predicted: patch, role, function, object, state
                           # observed: patch, function, object, state, roles (candidates), event


def call_matches(pred: Call, obs: Call) -> bool:
    """Same patch, function, object and module state; the role must be one the observed
    function can play (a probe sees the function, not the role, when a function has several)."""
    if (pred.get("patch"), pred.get("function"), pred.get("object"), pred.get("state")) != \
            (obs.get("patch"), obs.get("function"), obs.get("object"), obs.get("state")):
        return False
    roles = obs.get("roles") or ()
    if obs.get("role"):
        roles = (obs["role"],)
    return not roles or pred.get("role") in roles


def _fmt(c: Optional[Call], with_patch: bool) -> str:
    if c is None:
        return "-"
    role = c.get("role") or "/".join(c.get("roles") or ()) or "?"
    state = f" [{c['state']}]" if c.get("state") else ""
    patch = f"{c.get('patch')}: " if with_patch else ""
    return f"{patch}{role} {c.get('function')}({c.get('object')}){state}"


@dataclass(frozen=True)
class Row:
    mark: str                  # '=' match, '!' differ, '<' predicted only, '>' observed only
    predicted: Optional[Call]
    observed: Optional[Call]


@dataclass
class Comparison:
    scenario: str
    rows: List[Row]
    predicted_outcome: Optional[str]
    observed_outcome: str
    alternatives: int = 1          # how many predictions the model gave for this scenario
    notes: List[str] = field(default_factory=list)

    @property
    def calls_match(self) -> bool:
        return all(r.mark == "=" for r in self.rows)

    @property
    def outcome_matches(self) -> bool:
        if self.predicted_outcome is None:
            return True
        return _norm(self.predicted_outcome) == _norm(self.observed_outcome)

    @property
    def matched(self) -> bool:
        return self.calls_match and self.outcome_matches

    def render(self, width: int = 64) -> str:
        patches = {r.predicted.get("patch") for r in self.rows if r.predicted} | \
                  {r.observed.get("patch") for r in self.rows if r.observed}
        with_patch = len(patches) > 1
        status = "MATCH" if self.matched else "MISMATCH"
        alt = f" (closest of {self.alternatives} predicted alternatives)" if self.alternatives > 1 else ""
        out = [f"scenario {self.scenario}: {status}{alt}",
               f"    {'predicted (klplint trace)':<{width}} | observed (kernel)"]
        last_event = None
        for r in self.rows:
            ev = r.observed.get("event") if r.observed else None
            if ev and ev != last_event:
                out.append(f"    {'':<{width}} | -- {ev}")
                last_event = ev
            label = {"=": "match", "!": "MISMATCH", "<": "MISSING", ">": "EXTRA"}[r.mark]
            out.append(f"  {r.mark} {_fmt(r.predicted, with_patch):<{width}} | "
                       f"{_fmt(r.observed, with_patch):<{width}}  {label}")
        if not self.rows:
            out.append(f"    {'(no call)':<{width}} | (no call)")
        if self.predicted_outcome is not None:
            mark = "=" if self.outcome_matches else "!"
            out.append(f"  {mark} outcome: {self.predicted_outcome:<{width - 9}} | outcome: {self.observed_outcome}")
        else:
            out.append(f"    outcome: {'(not predicted)':<{width - 9}} | outcome: {self.observed_outcome}")
        out.extend(f"    note: {n}" for n in self.notes)
        return "\n".join(out)


def _norm(s: str) -> str:
    return " ".join(s.split())


def align(predicted: Sequence[Call], observed: Sequence[Call]) -> List[Row]:
    """Longest common subsequence under call_matches; unmatched runs are paired as '!' rows."""
    n, m = len(predicted), len(observed)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if call_matches(predicted[i], observed[j]):
                lcs[i][j] = lcs[i + 1][j + 1] + 1
            else:
                lcs[i][j] = max(lcs[i + 1][j], lcs[i][j + 1])
    rows: List[Row] = []
    i = j = 0
    pend_p: List[Call] = []
    pend_o: List[Call] = []

    def flush() -> None:
        for k in range(max(len(pend_p), len(pend_o))):
            p = pend_p[k] if k < len(pend_p) else None
            o = pend_o[k] if k < len(pend_o) else None
            rows.append(Row("!" if p is not None and o is not None else ("<" if p is not None else ">"), p, o))
        pend_p.clear()
        pend_o.clear()

    while i < n or j < m:
        if i < n and j < m and call_matches(predicted[i], observed[j]) and lcs[i][j] == lcs[i + 1][j + 1] + 1:
            flush()
            rows.append(Row("=", predicted[i], observed[j]))
            i += 1
            j += 1
        elif j < m and (i == n or lcs[i][j + 1] >= lcs[i + 1][j]):
            pend_o.append(observed[j])
            j += 1
        else:
            pend_p.append(predicted[i])
            i += 1
    flush()
    return rows


def compare(scenario: str, predictions: Sequence[Tuple[Sequence[Call], Optional[str]]],
            observed: Sequence[Call], observed_outcome: str) -> Comparison:
    """Compare against every alternative the model predicted; the result is the first exact
    match, else the closest alternative (fewest differing rows)."""
    if not predictions:
        predictions = [((), None)]
    best: Optional[Comparison] = None
    best_score = None
    for calls, outcome in predictions:
        c = Comparison(scenario, align(list(calls), list(observed)), outcome, observed_outcome,
                       alternatives=len(predictions))
        if c.matched:
            return c
        score = (sum(r.mark != "=" for r in c.rows), not c.outcome_matches)
        if best is None or score < best_score:
            best, best_score = c, score
    assert best is not None
    return best
