"""`klplint trace` and `klplint check` agree: every step of every scenario trace prints for a file
(hook and callback calls, module_init/exit of the livepatch and target modules) is a step the
engine ran on some path, over the corpus and tests/independent. Where the engine could not, it
says why: a KLP213 note, the scenario assumes a result the code never returns, or every path
crashed (a NULL dereference ends a path, as an oops ends the kernel's)."""
from __future__ import annotations

import glob
import os
from typing import Dict, List, Tuple

import pytest

from klplint.analysis import driver, lifecycle
from klplint.analysis.events import EventKind
from klplint.analysis.initmode import init_mode
from klplint.config.settings import Config
from klplint.frontend import parse
from klplint.frontend.source import FrontendError
from klplint.patch.extract import extract
from klplint.report.trace import render

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
FILES = sorted(glob.glob(os.path.join(ROOT, "corpus", "*", "*", "*.c")) +
               glob.glob(os.path.join(TESTS, "independent", "*.c")))

Pos = Tuple[int, ...]


def printed_steps(scen: lifecycle.Scenario) -> List[Tuple[Pos, lifecycle.Step]]:
    """The steps trace prints as something that runs, with their positions (as Engine.executed)."""
    out: List[Tuple[Pos, lifecycle.Step]] = []
    for i, step in enumerate(scen.steps):
        if isinstance(step, lifecycle.CoreNote):
            continue
        out.append(((i,), step))
        if isinstance(step, lifecycle.ModuleCode):
            out += [((i, j), inner) for j, inner in enumerate(step.enable_calls)
                    if isinstance(inner, lifecycle.Call)]
    return out


def _explained(printed, ran: Tuple[Pos, ...], crashed: bool) -> bool:
    """The engine ran a prefix of the printed steps, and stopped at a call whose result the scenario
    assumes (a pre_patch that must succeed or fail) that no path of the function returns, or
    where the scenario's paths crashed (`crashed`: a NULL dereference was reported in it)."""
    steps = [p for p, _ in printed]
    if list(ran) != steps[:len(ran)] or not ran:
        return False
    last = dict(printed)[ran[-1]]
    return crashed or (isinstance(last, lifecycle.Call) and last.must is not None)


def agreement(path: str) -> Dict[str, str]:
    """scenario name -> what is wrong, for one file (empty when check and trace agree)."""
    cfg = Config(strict=True)
    try:
        module = extract(parse(path, cfg), cfg)
    except FrontendError:
        return {}
    if not module.patches:
        return {}
    patch = module.patches[0]
    # what `klplint trace FILE` prints (klplint/cli/run.py: run_trace): the scenarios depend on
    # what module_init does with the patch (a registered patch can be re-enabled before 5.1)
    scenarios = lifecycle.enumerate_scenarios([patch], cfg.budgets.max_scenarios,
                                              [init_mode(module, patch)])
    assert render([patch], scenarios, "text").count("scenario: ") == len(scenarios)
    engine = driver.Engine(module, cfg)
    analysis = engine.run()
    incomplete = [e for _, e in analysis.events.values() if e.kind is EventKind.INCOMPLETE]
    noted = {e.scenario for e in incomplete}
    # a NULL dereference ends its path; Analysis keeps each finding once (with one scenario), so
    # any reported in the file excuses a scenario whose steps ran as a prefix of trace's
    crashed = any(e.kind is EventKind.NULL_DEREF for _, e in analysis.events.values())
    whole_file = None in noted        # a budget of the file (time) or of a hook everywhere
    # the note that no path of module_init continues is given once per patch, for every scenario
    init_noted = any(e.role == "lp_init" and e.function == module.init_func for e in incomplete)
    wrong: Dict[str, str] = {}
    for scen in scenarios:
        ran = engine.executed.get((patch.var, scen.name))
        if scen.name in noted or whole_file:
            continue
        if ran is None:
            wrong[scen.name] = "not run by check"
            continue
        printed = printed_steps(scen)
        first_init = next(i for i, st in enumerate(scen.steps)
                          if isinstance(st, lifecycle.ModuleCode) and st.kind == "lp_init")
        if init_noted and all(p[0] <= first_init for p in ran):
            continue
        # the module_exit after a failed enable runs only when module_init merely registered
        optional = {p for p, st in printed if isinstance(st, lifecycle.ModuleCode) and st.if_registered}
        want = [p for p, _ in printed if p not in optional]
        got = [p for p in ran if p not in optional]
        if got == want:
            continue
        if _explained([(p, st) for p, st in printed if p not in optional], tuple(got), crashed):
            continue
        missing = [str(dict(printed)[p]) for p in want if p not in got][:3]
        wrong[scen.name] = f"check skipped {missing}"
    return wrong


@pytest.mark.parametrize("path", FILES, ids=lambda p: os.path.relpath(p, ROOT))
def test_check_runs_every_step_trace_prints(path):
    assert agreement(path) == {}


def test_a_register_only_module_runs_its_hooks_in_check():
    # the class the agreement test was written for: hooks of a patch that module_init only
    # registers ran nowhere, while trace printed them
    path = os.path.join(TESTS, "independent", "hooks_register_only.c")
    cfg = Config(strict=True)
    module = extract(parse(path, cfg), cfg)
    engine = driver.Engine(module, cfg)
    engine.run()
    (scen,) = [s for s in lifecycle.enumerate_scenarios([module.patches[0]]) if s.name == "enable,disable"]
    ran = engine.executed[(module.patches[0].var, scen.name)]
    roles = [st.role for p, st in printed_steps(scen) if p in ran and isinstance(st, lifecycle.Call)]
    assert roles == ["patch_hook", "unpatch_hook"]


@pytest.mark.parametrize("name", ["callbacks_register_only_once_flag.c", "callbacks_register_then_enable_leak.c",
                                  "good_callbacks_register_only_reenable.c"])
def test_callbacks_era_re_enable_scenarios_are_held_to_check(name):
    # the agreement above covers the scenarios of a callbacks-API patch registered with
    # klp_register_patch() (4.15 to 5.0): sysfs disable and re-enable, where the callbacks run again
    path = os.path.join(TESTS, "independent", name)
    cfg = Config(strict=True)
    module = extract(parse(path, cfg), cfg)
    patch = module.patches[0]
    scenarios = lifecycle.enumerate_scenarios([patch], cfg.budgets.max_scenarios, [init_mode(module, patch)])
    again = [s for s in scenarios if "reenable" in s.events]
    # a plain cycle and one whose re-enable fails, at least (with target modules, more)
    assert "enable,disable,reenable,disable" in {s.name for s in again}
    assert any(s.outcome == "reenable failed: -ENODEV" for s in again)
    engine = driver.Engine(module, cfg)
    engine.run()
    for scen in again:
        ran = engine.executed[(patch.var, scen.name)]
        roles = [st.role for p, st in printed_steps(scen) if p in ran and isinstance(st, lifecycle.Call)]
        if scen.name == "enable,disable,reenable,disable":
            assert roles.count("pre_patch") == 2
    assert agreement(path) == {}
