"""The executor's work budget: modules shaped to explode end with a KLP213 note naming what ran out,
in bounded memory, and what is found never depends on the clock (how fast the machine is)."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from klplint.analysis import budget, driver
from klplint.analysis.frontier import Frontier
from klplint.analysis.state import State, merge
from klplint.analysis.values import Global, Int
from klplint.config.files import load_config
from klplint.config.settings import Budgets, Config
from klplint.frontend import parse
from klplint.patch.extract import extract
from klplint.pipeline.analyze_file import engine_findings

HERE = Path(__file__).resolve().parent
EXPLODE = sorted((HERE / "explode").glob("*.c"))
REPO = HERE.parent

# A work budget's note: "more than N statements executed ...", "more than N paths ...".
WORK_NOTE = re.compile(r"more than \d+ (statements|paths)")

# Far more than the explosion modules take on the project's 2-core machine (bench/explode.py), and
# far less than main took on the realloc-loop module (past 10 GB).
MEMORY_BOUND_MB = 1024


def _model(path: Path, cfg: Config):
    return extract(parse(str(path), cfg), cfg)


def _key(findings):
    return [(f.rule, f.loc, f.message, f.path, f.scenario) for f in findings]


def test_there_are_modules_shaped_to_explode():
    names = {p.name for p in EXPLODE}
    assert {"hooks_realloc_loops.c", "deep_branching.c", "fanout_callbacks.c", "symbolic_loops.c"} <= names


# ------------------------------------------------------------------ each explosion ends, with a note

_CHILD = r"""
import json, resource, sys
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file
r = analyze_file(sys.argv[1], Config(strict=True))
print(json.dumps({"errors": [e.reason for e in r.errors],
                  "notes": [f.message for f in r.findings if f.rule == "KLP213"],
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


@pytest.mark.timeout(300)     # a safety net for a regression (main ran past 600 s), not a measure
@pytest.mark.parametrize("path", EXPLODE, ids=lambda p: p.stem)
def test_explosion_ends_with_a_work_budget_note_in_bounded_memory(path):
    # A fresh process, so that its peak memory (ru_maxrss of RUSAGE_SELF) is this analysis's own.
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, env=env, text=True)
    assert p.returncode == 0, p.stderr
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    notes = result["notes"]
    assert any(WORK_NOTE.search(n) for n in notes), notes
    assert not any("took more than" in n for n in notes), "the wall clock decided, not the work budget"
    assert result["peak_kb"] / 1024 < MEMORY_BOUND_MB


# ------------------------------------------------------------------ the clock never decides

class SlowClock:
    """A clock on a machine far slower than any real one: every reading is `step` s after the
    previous one, whatever really happened in between."""

    def __init__(self, step: float):
        self.now = 1000.0
        self.step = step
        self.readings = 0

    def __call__(self) -> float:
        self.now += self.step
        self.readings += 1
        return self.now


# Work budgets a tenth of the defaults: the explosion modules still run out of them, in a tenth of
# the time (the property shown does not depend on the numbers).
SMALL = Budgets(scenario_statements=5000, scenario_paths=2000, file_statements=20000, file_paths=6000)


@pytest.mark.parametrize("name", ["hooks_realloc_loops.c", "fanout_callbacks.c"])
def test_findings_are_the_same_with_the_clock_made_slow(monkeypatch, name):
    cfg = Config(strict=True).with_(budgets=SMALL)
    m = _model(HERE / "explode" / name, cfg)
    normal = engine_findings(m, cfg)
    # Each reading of the clock is five seconds later: CLOCK_EVERY statements taking 5 s, a machine
    # hundreds of times slower than the shared 2-core one these budgets were sized on.
    slow = SlowClock(5.0)
    monkeypatch.setattr(budget, "clock", slow)
    assert _key(engine_findings(m, cfg)) == _key(normal)
    assert slow.readings > 2          # the clock was read, and did not decide anything
    assert any(WORK_NOTE.search(f.message) for f in normal if f.rule == "KLP213")


def test_the_clock_is_still_the_last_resort(monkeypatch):
    cfg = Config(strict=True)
    m = _model(HERE / "explode" / "fanout_callbacks.c", cfg)
    monkeypatch.setattr(budget, "clock", SlowClock(cfg.budgets.file_seconds))   # every reading: past the limit
    found = [f for f in engine_findings(m, cfg) if f.rule == "KLP213"]
    assert any(f"took more than {cfg.budgets.file_seconds:g} s" in f.message for f in found)


# ------------------------------------------------------------------ each budget, and what it ends

HOOKS_MODULE = HERE / "explode" / "hooks_realloc_loops.c"


def _run(path: Path, **budgets):
    cfg = Config(strict=True)
    cfg = cfg.with_(budgets=Budgets(**budgets))
    e = driver.Engine(_model(path, cfg), cfg)
    a = e.run()
    notes = [ev.payload.reason for ev in a.of_kind(driver.EventKind.INCOMPLETE)]
    return e, a, notes


def test_scenario_budget_ends_the_scenario_and_the_next_one_starts_afresh():
    e, a, notes = _run(HERE / "explode" / "fanout_callbacks.c", scenario_statements=300)
    assert any("300 statements executed in one lifecycle scenario" in n for n in notes)
    assert e.exhausted is None
    assert a.scenarios_run == len(driver.lifecycle.enumerate_scenarios(e.module.patches[:1], 64))


def test_file_budget_ends_the_analysis():
    e, a, notes = _run(HERE / "explode" / "fanout_callbacks.c", file_statements=2000)
    assert any("2000 statements executed for this file" in n for n in notes)
    assert e.exhausted is not None and e.work.statements <= 2001
    full = driver.lifecycle.enumerate_scenarios(e.module.patches[:1], 64)
    assert a.scenarios_run < len(full)


def test_path_budget_counts_the_states_lifecycle_steps_leave():
    e, a, notes = _run(HERE / "explode" / "fanout_callbacks.c", scenario_paths=50)
    assert any("50 paths through the lifecycle steps of one scenario" in n for n in notes)


def test_states_inside_the_enable_sequence_are_capped():
    """The patch hooks run inside klp_enable_patch(): the states they leave are capped there, at
    the call in module_init, not only once module_init returns."""
    e, a, _ = _run(HOOKS_MODULE, max_paths=8)
    init = e.module.functions[e.module.init_func]
    cut = [ev for ev in a.of_kind(driver.EventKind.INCOMPLETE)
           if ev.function == init.name and "more than 8 paths" in ev.payload.reason]
    assert cut and cut[0].loc.line > init.loc.line        # at the klp_enable_patch() call


def test_the_budgets_are_configurable(tmp_path):
    (tmp_path / ".klplint.toml").write_text("[budgets]\nscenario-statements = 400\nfile-paths = 900\n")
    (tmp_path / "lp.c").write_text("")
    cfg = load_config([str(tmp_path / "lp.c")], None, {})
    assert cfg.budgets.scenario_statements == 400 and cfg.budgets.file_paths == 900


# ------------------------------------------------------------------ the frontier

def _state(i: int, variant: int) -> State:
    s = State().set_mem((Global("x"), ()), Int(variant))
    s = s.note(None, f"path {i}")          # a different witness for each arrival
    return s.constrain(i, ne=variant) or s


@pytest.mark.parametrize("seed", range(6))
def test_frontier_gives_what_merging_all_at_once_gives(seed):
    rnd = random.Random(seed)
    cap = rnd.choice([1, 2, 3, 5, 8])
    arrivals = [_state(i, rnd.randrange(3 * cap)) for i in range(rnd.randrange(1, 12 * cap))]
    f = Frontier(cap)
    f.extend(arrivals)
    assert len(f) < 2 * cap
    got = f.take()
    whole = merge(list(arrivals))
    want = whole[:cap]
    assert [s.key() for s in got] == [s.key() for s in want]
    assert [s.trace for s in got] == [s.trace for s in want]
    assert f.cut == (len(whole) > cap)
