"""The hooks API on a real kernel: a hooks-era module built with klp_hooks_compat.h runs in Debian's
6.1 kernel; its hooks run where the H rows of klplint/analysis/README.md say, and where `klplint trace`
predicts."""
from pathlib import Path

import pytest

from klplint.oracle import harness
from klplint.oracle.compare import compare
from klplint.oracle.scenario import FailKnob, build_scenario

DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.oracle

LP = "klp_oracle_hooks"
T = "klp_oracle_target"
KNOBS = {LP: {"patch_hook": FailKnob("patch_hook_ret", "-22")}}


def _h(role, fn, obj, state=None):
    return {"patch": LP, "role": role, "function": fn, "object": obj, "state": state}


V_PATCH = [_h("patch_hook", "setup_hook", "vmlinux"), _h("patch_hook", "vmlinux_second_hook", "vmlinux")]
V_UNPATCH = [_h("unpatch_hook", "teardown_hook", "vmlinux")]


def T_PATCH(state):
    return [_h("patch_hook", "setup_hook", T, state)]


def T_UNPATCH(state):
    return [_h("unpatch_hook", "target_teardown_hook", T, state), _h("unpatch_hook", "teardown_hook", T, state)]


# events -> the hooks the H table (klplint/analysis/README.md) says run, in order (obj->mod NULL for vmlinux)
SCENARIOS = {
    # H1 enable (vmlinux), H3 module coming, H5 module going, H6 disable
    f"enable,load:{T},unload:{T},disable": V_PATCH + T_PATCH("COMING") + T_UNPATCH("GOING") + V_UNPATCH,
    # H2 enable with the target loaded, H6 disable (module LIVE), H8 unload after disable: nothing
    f"load:{T},enable,disable,unload:{T}": V_PATCH + T_PATCH("LIVE") + V_UNPATCH + T_UNPATCH("LIVE"),
    # a failing patch hook is only logged: every hook still runs, patching goes on
    f"fail:patch_hook:vmlinux,load:{T},enable,disable,unload:{T}":
        V_PATCH + T_PATCH("LIVE") + V_UNPATCH + T_UNPATCH("LIVE"),
    # H4 analogue: a target coming and going after the patch is disabled runs no hook
    f"enable,disable,load:{T},unload:{T}": V_PATCH + V_UNPATCH,
}


@pytest.fixture(scope="module")
def run(machine, boot_observed):
    scenarios = [build_scenario(ev, [LP], {}, KNOBS, name=ev) for ev in SCENARIOS]
    return boot_observed(lambda: harness.run([str(DATA / f"{LP}.c"), str(DATA / f"{T}.c")], scenarios,
                                             machine=machine))


def test_built_with_the_compat_layer_and_ran_cleanly(run):
    assert run.built[LP].uses_hooks_compat and not run.built[T].uses_hooks_compat
    assert {p.function for p in run.probes} == {"setup_hook", "vmlinux_second_hook", "teardown_hook",
                                                "target_teardown_hook"}
    assert all(p.compat for p in run.probes)
    assert run.problems == [] and run.vm.complete and run.reports == []
    for r in run.results:
        assert r.problems == [] and r.outcome == "ok", (r.scenario.name, r.problems, r.outcome)


@pytest.mark.parametrize("events", list(SCENARIOS))
def test_hooks_run_where_the_table_says(run, events):
    res = next(r for r in run.results if r.scenario.name == events)
    c = compare(events, [(SCENARIOS[events], "ok")], res.calls, res.outcome)
    assert c.matched, "\n" + c.render() + "\n\n" + res.step_log()


def test_patch_hooks_run_before_the_target_init_and_unpatch_hooks_after_its_exit(run):
    res = next(r for r in run.results if r.scenario.name.startswith("enable,load:"))
    load = next(st for st in res.record.steps if st.kind == "load")
    order = [("call", x.function) if k == "call" else ("log", x) for k, x in load.events
             if k == "call" or x.startswith("klp_oracle_target:")]
    assert order[0] == ("call", "setup_hook") and order[-1][1].startswith("klp_oracle_target: init")
    unload = next(st for st in res.record.steps if st.kind == "unload")
    order = [("call", x.function) if k == "call" else ("log", x) for k, x in unload.events
             if k == "call" or x.startswith("klp_oracle_target:")]
    assert order[0][1].startswith("klp_oracle_target: exit")
    assert [o[1] for o in order[1:]] == ["target_teardown_hook", "teardown_hook"]


def test_failing_hook_is_logged(run):
    res = next(r for r in run.results if r.scenario.name.startswith("fail:"))
    enable = next(st for st in res.record.steps if st.kind == "enable")
    warnings = [ln for ln in enable.kernel_lines if ln.startswith("klp_hooks_compat:")]
    assert len(warnings) == 3 and all("returned -22" in w for w in warnings)


@pytest.mark.parametrize("events", list(SCENARIOS))
def test_hooks_match_the_model(run, model, events):
    predictions = model([str(DATA / f"{LP}.c")], events)
    res = next(r for r in run.results if r.scenario.name == events)
    c = compare(events, [(p.calls, p.outcome) for p in predictions], res.calls, res.outcome)
    assert c.matched, "\n" + c.render() + "\n\n" + res.step_log()
