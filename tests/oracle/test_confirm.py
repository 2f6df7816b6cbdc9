"""Confirmation and the corpus runner on a real kernel: a clean module loads, patches and unloads;
KLP201 (NULL obj->mod) really oopses; KLP208 (klp_enable_patch from a callback) really hangs."""
from pathlib import Path

import pytest

from klplint.oracle.corpus import confirm, run_corpus

from conftest import SHORT

pytestmark = pytest.mark.oracle

DATA = Path(__file__).resolve().parent / "data"
CLEAN = str(DATA / "klp_oracle_clean.c")
TARGET = str(DATA / "klp_oracle_target.c")
NULLMOD = str(DATA / "klp_oracle_nullmod.c")
DEADLOCK = str(DATA / "klp_oracle_deadlock.c")
HOOKS = str(DATA / "klp_oracle_hooks.c")
T = "klp_oracle_target"


def _c(role, obj="vmlinux", state=None):
    return {"patch": "klp_oracle_clean", "role": role, "function": role, "object": obj, "state": state}


CLEAN_SCENARIOS = {
    f"load:{T},enable,disable,unload:{T}": [
        _c("pre_patch"), _c("pre_patch", T, "LIVE"), _c("post_patch"),
        _c("pre_unpatch"), _c("post_unpatch"), _c("post_unpatch", T, "LIVE")],
    f"enable,load:{T},unload:{T},disable": [
        _c("pre_patch"), _c("post_patch"), _c("pre_patch", T, "COMING"),
        _c("post_unpatch", T, "GOING"), _c("pre_unpatch"), _c("post_unpatch")],
}


def _strip(calls):
    return [{k: c[k] for k in ("patch", "function", "object", "state")} for c in calls]


def test_confirm_a_clean_module(machine):
    results = confirm([CLEAN], list(CLEAN_SCENARIOS), targets=[TARGET], machine=machine,
                      use_model=True)
    assert [c.events for c in results] == list(CLEAN_SCENARIOS)
    for c in results:
        assert not c.oops and not c.hung and not c.warning, c.render()
        assert c.result.outcome == "ok" and c.result.problems == [], c.render()
        assert _strip(c.result.calls) == _strip(CLEAN_SCENARIOS[c.events]), c.render()
        assert c.comparison is not None, c.prediction_error
        assert c.matched and c.missing_calls == [] and c.extra_calls == [], c.render()
        assert "match" in c.render()


def test_confirm_null_obj_mod_oopses(machine):
    (c,) = confirm([NULLMOD], ["enable,disable"], machine=machine, use_model=False, options=SHORT)
    assert c.oops, c.render()
    oops = next(r for r in c.result.reports if r.kind == "oops")
    assert oops.step == "0"                        # during enable, in the vmlinux pre_patch
    assert "NULL pointer dereference" in oops.text or "page fault" in oops.text
    assert "pre_patch" in oops.text                # the faulting function is in the report
    # the kprobe saw the call that faulted: pre_patch on vmlinux with obj->mod NULL
    assert [(x["function"], x["object"], x["state"]) for x in c.result.calls] == [("pre_patch", "vmlinux", None)]
    assert c.result.outcome.startswith("enable killed")
    assert "OOPS" in c.render()


def test_confirm_callback_deadlock_hangs(machine):
    (c,) = confirm([DEADLOCK], ["enable,disable"], machine=machine, use_model=False, options=SHORT)
    assert c.hung and not c.oops, c.render()
    hung = [r for r in c.result.reports if r.kind == "hung_task"]
    assert hung and "blocked for more than" in hung[0].title
    # post_patch was entered (and never left): the call is there, the transition never completed
    assert [(x["function"], x["object"]) for x in c.result.calls] == [("post_patch", "vmlinux")]
    assert any("not-complete" in p or "hung" in p for p in c.result.problems + [c.result.outcome]), c.render()
    assert "HUNG" in c.render()


def test_corpus_runner_restarts_after_an_oops(machine):
    runs = run_corpus([NULLMOD, CLEAN, HOOKS], machine=machine, options=SHORT)
    by = {r.module: r for r in runs}
    assert by["klp_oracle_nullmod"].verdict == "oops", by["klp_oracle_nullmod"].summary()
    assert by["klp_oracle_nullmod"].expects == ("KLP201",)
    assert by["klp_oracle_clean"].verdict == "clean", by["klp_oracle_clean"].summary()
    assert by["klp_oracle_hooks"].verdict == "clean", by["klp_oracle_hooks"].summary()
    # after the oops the others ran in a fresh kernel
    assert by["klp_oracle_nullmod"].boot == 1
    assert by["klp_oracle_clean"].boot == by["klp_oracle_hooks"].boot == 2
    assert [c["function"] for c in by["klp_oracle_clean"].calls] == \
        ["pre_patch", "post_patch", "pre_unpatch", "post_unpatch"]


def test_corpus_runner_reports_build_failures(machine, tmp_path):
    bad = tmp_path / "klp_oracle_broken.c"
    bad.write_text("#include <linux/module.h>\n#include <linux/livepatch.h>\n"
                   "static struct klp_patch patch = { .mod = THIS_MODULE, .no_such_field = 1 };\n")
    (r,) = run_corpus([str(bad)], machine=machine)
    assert r.verdict == "build-failed" and "error" in r.build_error
    assert str(bad) in r.build_error                   # named by its real path, not the build copy
    assert "no_such_field" in r.build_error


def test_corpus_runner_skips_what_is_not_a_livepatch(machine):
    (r,) = run_corpus([TARGET], machine=machine)
    assert r.verdict == "skipped" and r.outcome == "not a livepatch"


def test_confirm_runs_what_a_hang_kept_from_running_in_a_fresh_boot(machine, callback_test_modules):
    """Loading the busy test module while the demo patch is enabled hangs its init (the patch
    replaces busymod_work_func, which then never signals the completion init waits for): the
    next scenario runs in a second boot."""
    lp, mod, busy = (callback_test_modules[n] for n in
                     ("test_klp_callbacks_demo", "test_klp_callbacks_mod", "test_klp_callbacks_busy"))
    hang = "enable,load:test_klp_callbacks_busy,disable"
    after = "load:test_klp_callbacks_mod,enable,disable,unload:test_klp_callbacks_mod"
    first, second = confirm([lp], [hang, after], targets=[mod, busy], machine=machine,
                            use_model=True, options=SHORT)
    assert first.hung and first.boot == 1 and first.result.outcome == "load:test_klp_callbacks_busy hung"
    assert [(c["function"], c["object"], c["state"]) for c in first.result.calls] == [
        ("pre_patch_callback", "vmlinux", None), ("post_patch_callback", "vmlinux", None),
        ("pre_patch_callback", "test_klp_callbacks_busy", "COMING"),
        ("post_patch_callback", "test_klp_callbacks_busy", "COMING")]
    assert second.boot == 2 and not second.hung and second.result.outcome == "ok", second.render()
    assert len(second.result.calls) == 8
    assert second.matched, second.render()
    assert first.matched is False and len(first.missing_calls) == 4     # the disable never came
