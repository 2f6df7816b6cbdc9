"""Ask klplint's lifecycle model for its prediction: `klplint trace FILE... --scenario EVENTS --format json`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import List, Optional, Sequence

from klplint.oracle.parts import OracleError

CALL_KEYS = ("patch", "role", "function", "object", "state")


class PredictionUnavailable(OracleError):
    """`klplint trace` could not answer (not written yet, or it rejected the input)."""


@dataclass(frozen=True)
class Prediction:
    scenario: str
    calls: tuple            # of dicts with CALL_KEYS
    outcome: str


def parse_trace_json(text: str) -> List[Prediction]:
    """The documented shape (klplint/analysis/README.md, Scenarios): a list of
    {"scenario", "calls": [{"patch","role","function","object","state"}], "outcome"}."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise PredictionUnavailable(f"klplint trace printed no JSON: {e}")
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise PredictionUnavailable("klplint trace JSON is not a list of scenarios")
    out = []
    for item in data:
        if not isinstance(item, dict) or "calls" not in item:
            raise PredictionUnavailable(f"unexpected scenario entry in klplint trace JSON: {item!r:.200}")
        calls = []
        for c in item["calls"]:
            missing = [k for k in CALL_KEYS if k not in c]
            if missing:
                raise PredictionUnavailable(f"call without {', '.join(missing)} in klplint trace JSON: {c!r:.200}")
            calls.append({k: c[k] for k in CALL_KEYS})
        out.append(Prediction(str(item.get("scenario", "")), tuple(calls), str(item.get("outcome", ""))))
    return out


def _repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def predict(files: Sequence[str], events: Optional[str], extra_args: Sequence[str] = (),
            timeout: float = 300) -> List[Prediction]:
    """Run the trace command in a subprocess (`python -m klplint trace ...`); events None: every
    scenario the model enumerates for the files."""
    scen = ["--scenario", events] if events else []
    cmd = [sys.executable, "-m", "klplint", "trace", *files, *scen, "--format", "json", *extra_args]
    env = dict(os.environ)
    env["PYTHONPATH"] = _repo_root() + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise PredictionUnavailable(f"klplint trace did not answer within {timeout:.0f} s")
    if proc.returncode != 0 or not proc.stdout.strip():
        err = proc.stderr.strip().splitlines()
        tail = err[-1] if err else f"exit status {proc.returncode}"
        raise PredictionUnavailable(f"klplint trace failed for {events or 'its scenarios'!r}: {tail}")
    preds = parse_trace_json(proc.stdout)
    if not preds:
        raise PredictionUnavailable(f"klplint trace predicted no scenario for {events or 'the files'!r}")
    return preds
