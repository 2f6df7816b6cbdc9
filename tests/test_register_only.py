"""Callbacks-API patches registered with klp_register_patch() (4.15 to 5.0): what module_init does
with the patch is read from the source (initmode.py), and the model then keeps a disabled patch
registered, so it can be re-enabled through sysfs and its callbacks run again; `klplint trace`
tells a module_init that only registers from one that enables, in text and JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from klplint.analysis.initmode import InitMode, init_mode
from klplint.analysis.lifecycle import ModuleCode, ScenarioError, enumerate_scenarios, replay
from klplint.config.settings import Config
from klplint.frontend import parse
from klplint.oracle.predict import parse_trace_json
from klplint.patch.extract import extract
from klplint.report.trace import render
from test_lifecycle import HOOKS, LP, MOD, demo, demo2, events, expect, lp_code, observed

def klplint(*args):
    """`klplint ARGS` as a user runs it (trace prints from an isolated worker process)."""
    return subprocess.run([sys.executable, "-m", "klplint", *args], capture_output=True, text=True, timeout=120)


TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
REG, BOTH, EN = InitMode.REGISTERS, InitMode.REGISTERS_AND_ENABLES, InitMode.ENABLES


def module_of(tmp_path, init_body, helper="", patches=("patch",)):
    """A callbacks-API module whose module_init is `init_body`."""
    decls = "".join(f"static struct klp_patch {p} = {{ .mod = THIS_MODULE, .objs = objs }};\n"
                    for p in patches)
    src = f"""
#include <linux/module.h>
#include <linux/livepatch.h>
static int pre(struct klp_object *obj) {{ return 0; }}
static int new_fn(void) {{ return 0; }}
static struct klp_func funcs[] = {{ {{ .old_name = "old_fn", .new_func = new_fn }}, {{ }} }};
static struct klp_object objs[] = {{ {{ .funcs = funcs, .callbacks.pre_patch = pre }}, {{ }} }};
{decls}
{helper}
static int __init lp_init(void) {{ {init_body} }}
static void __exit lp_exit(void) {{ }}
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""
    path = tmp_path / "lp_mode.c"
    path.write_text(src)
    cfg = Config(strict=True)
    return extract(parse(str(path), cfg), cfg)


# ---------------------------------------------------------------- what module_init does

@pytest.mark.parametrize("body, helper, want", [
    ("return klp_enable_patch(&patch);", "", EN),
    ("return klp_register_patch(&patch);", "", REG),
    ("int r = klp_register_patch(&patch); if (r) return r; r = klp_enable_patch(&patch);"
     " if (r) klp_unregister_patch(&patch); return r;", "", BOTH),
    # through a helper of the file that hands its parameter on
    ("return reg(&patch);", "static int reg(struct klp_patch *p) { return klp_register_patch(p); }", REG),
    # a function module_init never calls does not count
    ("return klp_enable_patch(&patch);", "static int unused(void) { return klp_register_patch(&patch); }", EN),
])
def test_init_mode_is_read_from_module_init(tmp_path, body, helper, want):
    module = module_of(tmp_path, body, helper)
    assert init_mode(module, module.patches[0]) is want


def test_a_call_naming_another_patch_does_not_count(tmp_path):
    module = module_of(tmp_path, "int r = klp_register_patch(&other); return r ? r : klp_enable_patch(&patch);",
                       patches=("patch", "other"))
    by_var = {p.var: init_mode(module, p) for p in module.patches}
    assert by_var == {"patch": EN, "other": REG}


# ---------------------------------------------------------------- the model

def test_a_registered_callbacks_patch_is_re_enabled_and_its_callbacks_run_again():
    scn = replay([demo()], events("load:M,enable,disable,reenable,disable"), [REG])
    once = expect("pre_patch V", "pre_patch M L", "post_patch V", "post_patch M L",
                  "pre_unpatch V", "pre_unpatch M L", "post_unpatch V", "post_unpatch M L")
    assert observed(scn)[:1] == [("target_init", MOD)]
    assert observed(scn)[1:] == once + once
    assert scn.outcome == "ok"
    # the patch was registered all along: one module_exit at the end
    assert lp_code(scn) == [("lp_init", LP, "ok"), ("lp_exit", LP, "ok")]
    assert [s.init for s in scn.steps if isinstance(s, ModuleCode) and s.kind == "lp_init"] == [REG]


def test_since_5_1_a_disabled_patch_cannot_be_re_enabled():
    with pytest.raises(ScenarioError, match="since 5.1"):
        replay([demo()], events("enable,disable,reenable"), [EN])
    with pytest.raises(ScenarioError, match="since 5.1"):
        replay([demo()], events("enable,disable,reenable"))       # ENABLES when not given


def test_a_registered_patch_is_not_loaded_again_but_re_enabled():
    with pytest.raises(ScenarioError, match="use reenable"):
        replay([demo()], events("enable,disable,enable"), [REG])


def test_a_module_loading_while_the_registered_patch_is_disabled_runs_nothing():
    # as H4: the disabled patch is on klp_patches but klp_module_coming() skips it; the re-enable
    # then finds the module LIVE
    scn = replay([demo()], events("enable,disable,load:M,reenable,disable"), [REG])
    calls = observed(scn)
    at = calls.index(("target_init", MOD))
    assert calls[at - 1][1] == "post_unpatch" and calls[at + 1][1:4] == ("pre_patch", "vmlinux", None)
    assert ("test_klp_callbacks_demo", "pre_patch", MOD, "LIVE", False) in calls[at:]
    assert not any(len(c) > 3 and c[3] == "COMING" for c in calls)


def test_post_unpatch_after_a_re_enable_is_gated_by_its_pre_patch():
    scn = replay([demo()], events("enable,disable,fail:pre_patch:vmlinux,reenable"), [REG])
    calls = observed(scn)
    second = calls[calls.index(("test_klp_callbacks_demo", "post_unpatch", "vmlinux", None, True)) + 1:]
    # the re-enable's pre_patch fails: the transition is cancelled, no post_unpatch of vmlinux
    assert [c[1] for c in second] == ["pre_patch"]
    assert scn.outcome == "reenable failed: -ENODEV"
    assert lp_code(scn)[-1] == ("lp_exit", LP, "ok")


def test_registered_callbacks_patches_stack_as_before_5_1():
    with pytest.raises(ScenarioError, match="stacked"):
        replay([demo(), demo2()], events("enable:1,enable:2,disable:1"), [REG, REG])
    # since 5.1 any patch can be disabled first
    replay([demo(), demo2()], events("enable:1,enable:2,disable:1"), [EN, EN])
    with pytest.raises(ScenarioError, match="one kernel"):
        replay([demo(), demo2()], events("enable:1"), [REG, EN])


def test_enumeration_adds_the_re_enable_cycles():
    names = {s.name for s in enumerate_scenarios([demo()], 200, [REG])}
    for want in ("enable,disable,reenable,disable", f"load:{MOD},enable,disable,reenable,disable",
                 f"enable,disable,load:{MOD},reenable,disable",
                 "load:test_klp_callbacks_mod,load:test_klp_callbacks_busy,enable,disable,"
                 "fail:pre_patch:vmlinux,reenable"):
        assert want in names
    assert not any("reenable" in n for n in {s.name for s in enumerate_scenarios([demo()], 200)})
    both = {s.name for s in enumerate_scenarios([demo()], 200, [BOTH])}
    assert "enable,disable,reenable,disable" in both
    # several registered patches: no 5.1-only sequence (disabling the older first) is enumerated
    two = {s.name for s in enumerate_scenarios([demo(), demo2()], 500, [REG, REG])}
    assert "enable:1,enable:2,disable:1,disable:2" not in two
    assert "enable:1,enable:2,disable:2,disable:1" in two


def test_hooks_era_enumeration_is_unchanged_by_the_mode():
    plain = [s.name for s in enumerate_scenarios([HOOKS], 200)]
    assert plain == [s.name for s in enumerate_scenarios([HOOKS], 200, [REG])]
    assert not any("fail:" in n and n.endswith("reenable") for n in plain)


# ---------------------------------------------------------------- trace

def test_trace_tells_registering_from_enabling():
    scn_reg = replay([demo()], events("enable,disable,reenable,disable"), [REG])
    text = render([demo()], [scn_reg], "text")
    assert "[lp_init, registers the patch (enable through sysfs)]" in text
    assert f"{LP}: klp_register_patch() returns 0, module_init returns 0" in text
    assert text.count(f"% echo 1 > /sys/kernel/livepatch/{LP}/enabled") == 2     # sysfs enable, re-enable
    assert "klp_enable_patch()" not in text
    scn_en = replay([demo()], events("enable,disable"))
    text = render([demo()], [scn_en], "text")
    assert "[lp_init, enables the patch]" in text and "klp_register_patch" not in text
    assert f"{LP}: klp_enable_patch() returns 0" in text
    (data,) = json.loads(render([demo()], [scn_reg], "json"))
    assert data["module_init"] == [{"patch": LP, "event": "enable", "mode": "registers", "result": "ok"}]
    assert [c["role"] for c in data["calls"]].count("pre_patch") == 2     # vmlinux, twice


def test_trace_of_a_failed_sysfs_enable():
    scn = replay([demo()], events("fail:pre_patch:vmlinux,enable"), [REG])
    text = render([demo()], [scn])
    assert "the write to enabled fails with -ENODEV, the module stays loaded" in text
    assert "[lp_exit, the failed write left the module loaded]" in text
    (data,) = json.loads(render([demo()], [scn], "json"))
    assert data["module_init"][0]["mode"] == "registers" and data["module_init"][0]["result"] == "-ENODEV"


def test_klplint_trace_reads_the_mode_from_the_file():
    reg = os.path.join(ROOT, "corpus", "lifecycle", "bad", "klp207_once_flag_survives_reenable.c")
    r = klplint("trace", reg, "--scenario", "enable,disable,reenable,disable", "--format", "json")
    assert r.returncode == 0, r.stderr
    (data,) = json.loads(r.stdout)
    assert data["module_init"][0]["mode"] == "registers"
    assert [c["role"] for c in data["calls"]] == ["pre_patch", "post_unpatch"] * 2
    enables = os.path.join(ROOT, "corpus", "lifecycle", "good", "klp204_paired_callbacks.c")
    r = klplint("trace", enables, "--scenario", "enable,disable,reenable")
    assert r.returncode != 0 and "since 5.1" in r.stderr


def test_two_files_of_one_kernel_only():
    reg = os.path.join(ROOT, "corpus", "lifecycle", "bad", "klp207_once_flag_survives_reenable.c")
    enables = os.path.join(ROOT, "corpus", "lifecycle", "good", "klp204_paired_callbacks.c")
    r = klplint("trace", reg, enables)
    assert r.returncode != 0 and "one kernel" in r.stderr


def test_the_oracle_reads_the_json_with_its_new_field():
    scn = replay([demo()], events("load:M,enable,disable,reenable,disable"), [REG])
    (pred,) = parse_trace_json(render([demo()], [scn], "json"))
    assert pred.scenario == scn.name and len(pred.calls) == 16
