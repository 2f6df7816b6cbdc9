"""Conformance, C1-C11: the kernel's own callback test modules run in each Debian kernel installed (6.1
and 6.12, built from that kernel's linux-source against its headers; all eleven scenarios of
test-callbacks.sh in one boot per kernel); what the kprobes saw must equal what that tree's
test-callbacks.sh expects and what `klplint trace` predicts."""
import fcntl
import os
import pickle

import pytest

from klplint.oracle import harness, selftests
from klplint.oracle.compare import compare

pytestmark = pytest.mark.oracle

ROWS = [c.row for c in selftests.CASES]

# What the scenarios end with, in the model's words (lifecycle.py).
OUTCOMES = {"C6": "enable failed: -ENODEV",
            "C7": f"load of {selftests.MOD} refused: -ENODEV"}


def _boot(kernel):
    sources = [kernel.modules[n] for n in (selftests.LP, selftests.LP2, selftests.MOD, selftests.BUSY)]
    return harness.run(sources, [c.scenario() for c in selftests.CASES], machine=kernel.machine)


def _once_per_session(tmp_path_factory, key, compute):
    """compute() in one pytest process only: under pytest-xdist the workers share the first one's
    result (a pickle beside their temporary folders, behind a lock), so each kernel boots once."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return compute()
    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{key}.pickle"
        if done.exists():
            with open(done, "rb") as f:
                return pickle.load(f)
        value = compute()
        with open(done, "wb") as f:
            pickle.dump(value, f)
        return value


@pytest.fixture(scope="session")
def run(kernel_under_test, tmp_path_factory, boot_observed):
    """One boot per kernel, C1..C11 in order, each followed by a cleanup."""
    result = _once_per_session(tmp_path_factory, f"conformance-{kernel_under_test.machine.kernel.release}",
                               lambda: boot_observed(lambda: _boot(kernel_under_test)))
    assert result.vm.booted, result.boot.console[-3000:]
    return result


def _result(run, row):
    res = next(r for r in run.results if r.scenario.name == row)
    return res


def test_one_boot_ran_every_scenario_cleanly(run):
    assert run.problems == [], run.problems
    assert run.vm.complete, run.boot.channel[-3000:]
    assert [r.scenario.name for r in run.results] == ROWS
    assert run.reports == [], [r.text for r in run.reports]
    for r in run.results:
        assert r.record.began and r.record.ended and r.problems == [], (r.scenario.name, r.problems)
    # kmod's insmod: one load attempt per insmod (busybox's would retry a refused load)
    for r in run.results:
        for st in r.record.steps:
            if st.kind in ("load", "enable"):
                assert st.attempts == 1, (r.scenario.name, st.index, st.attempts)


@pytest.mark.parametrize("row", ROWS)
def test_kernel_matches_test_callbacks_sh(run, kernel_under_test, row):
    """The observation pipeline against the sequences test-callbacks.sh writes down."""
    case = selftests.case(row)
    expected = selftests.expected_sequences(kernel_under_test.script)[case.title]
    assert expected, f"no callback lines found for {case.title!r} in test-callbacks.sh"
    res = _result(run, row)
    c = compare(row, [(expected, None)], res.calls, res.outcome)
    assert c.calls_match, "\n" + c.render() + "\n\n" + res.step_log()


@pytest.mark.parametrize("row", ROWS)
def test_outcomes(run, row):
    res = _result(run, row)
    assert res.outcome == OUTCOMES.get(row, "ok"), res.step_log()


def test_core_lines_and_order_within_a_step(run):
    """The core's own livepatch: lines come through, interleaved with the calls in kernel order."""
    c1 = _result(run, "C1")
    enable = next(st for st in c1.record.steps if st.kind == "enable")
    seq = [("log", x) if kind == "log" else ("call", x.function, x.object)
           for kind, x in enable.events
           if kind == "call" or x.startswith("livepatch: ")]
    lp = selftests.LP
    assert seq[0] == ("log", f"livepatch: enabling patch '{lp}'")
    i_start = seq.index(("log", f"livepatch: '{lp}': starting patching transition"))
    i_done = seq.index(("log", f"livepatch: '{lp}': patching complete"))
    pre = [i for i, s in enumerate(seq) if s[0] == "call" and s[1] == "pre_patch_callback"]
    post = [i for i, s in enumerate(seq) if s[0] == "call" and s[1] == "post_patch_callback"]
    assert len(pre) == 2 and len(post) == 2
    assert max(pre) < i_start < min(post) and max(post) < i_done
    # the busy module's transition stalls in C9 and the disable reverses it
    c9 = _result(run, "C9")
    stalled = next(st for st in c9.record.steps if st.kind == "enable")
    assert stalled.wait == "stalled"
    disable = next(st for st in c9.record.steps if st.kind == "disable")
    assert f"livepatch: '{lp}': reversing transition from patching to unpatching" in disable.klp_lines


def test_failed_loads_report_the_kernels_errno(run):
    c6 = _result(run, "C6")
    enable = next(st for st in c6.record.steps if st.kind == "enable")
    assert enable.failed and enable.errno == 19
    assert ("finit_module", -19) in enable.syscall_returns
    assert "livepatch: pre-patch callback failed for object 'vmlinux'" in enable.klp_lines
    c7 = _result(run, "C7")
    load = next(st for st in c7.record.steps if st.kind == "load")
    assert load.errno == 19
    assert any("refusing to load module" in line for line in load.klp_lines)


@pytest.mark.parametrize("row", ROWS)
def test_kernel_matches_the_model(run, model, kernel_under_test, row):
    """`klplint trace FILE... --scenario EVENTS --format json` against the kernel, exactly."""
    case = selftests.case(row)
    files = [kernel_under_test.modules[p] for p in case.patches]
    predictions = model(files, case.events)
    res = _result(run, row)
    c = compare(f"{row} ({case.events})", [(p.calls, p.outcome) for p in predictions], res.calls, res.outcome)
    assert c.matched, "\n" + c.render() + "\n\nkernel, step by step:\n" + res.step_log()
