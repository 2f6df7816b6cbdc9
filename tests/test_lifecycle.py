"""The lifecycle model (klplint/analysis/README.md): one test per row H1-H10 and C1-C11, and its API.

The C rows' expectations are transcribed from the 6.1 kernel's
tools/testing/selftests/livepatch/test-callbacks.sh (its check_result blocks), not from klplint.
"""
import json

import pytest

from klplint import ir
from klplint.analysis.lifecycle import (Call, CoreAct, CoreNote, ModuleCode, Scenario, ScenarioError, enumerate_scenarios, parse_events, replay)
from klplint.patch.model import Callbacks, FuncRef, Hook, KlpFunc, KlpObject, Patch, Table
from klplint.report.trace import render

N = ir.NOWHERE
LP, LP2 = "test_klp_callbacks_demo", "test_klp_callbacks_demo2"
MOD, BUSY = "test_klp_callbacks_mod", "test_klp_callbacks_busy"


# ---------------------------------------------------------------- building patches tersely

def ref(name):
    return FuncRef(name, N)


def table(entries, terminator):
    entries = tuple(entries)
    return Table(None, entries + (terminator,), len(entries), N)


def funcs():
    return table([KlpFunc("old_fn", ref("new_fn"), None, N)], KlpFunc(None, None, None, N, True))


def hooks(*names):
    return table([Hook(ref(n), N) for n in names], Hook(None, N, True)) if names else None


def cb_obj(name=None, pre=True):
    """An object with the four callbacks named as in test_klp_callbacks_demo.c."""
    return KlpObject(name, funcs(), None, None,
                     Callbacks(ref("pre_patch_callback") if pre else None,
                               ref("post_patch_callback"), ref("pre_unpatch_callback"),
                               ref("post_unpatch_callback")), N)


def hook_obj(name=None, patch=("patch_hook",), unpatch=("unpatch_hook",)):
    return KlpObject(name, funcs(), hooks(*patch), hooks(*unpatch), None, N)


def patch(objects, module_name=LP, replace=False):
    objs = table(objects, KlpObject(None, None, None, None, None, N, is_zero=True))
    return Patch("patch", N, "THIS_MODULE", N, objs, replace=replace, module_name=module_name)


def demo(module_name=LP, replace=False):
    # objects in the order of test_klp_callbacks_demo.c: vmlinux, mod, busy
    return patch([cb_obj(), cb_obj(MOD), cb_obj(BUSY)], module_name, replace)


def demo2(replace=False):
    return patch([cb_obj()], LP2, replace)


HOOKS = patch([hook_obj(), hook_obj("m")], "lp_hooks")

SHORT = {"V": "vmlinux", "M": MOD, "B": BUSY, "m": "m"}
STATE = {"L": "LIVE", "C": "COMING", "G": "GOING"}


def expect(*lines):
    """'pre_patch M L' -> ('pre_patch', MOD, 'LIVE', False); 'init M' / 'exit M' -> target code.
    A leading 'P2 ' names test_klp_callbacks_demo2's calls."""
    out = []
    for line in lines:
        words = line.split()
        patch_name = LP
        if words[0] == "P2":
            patch_name, words = LP2, words[1:]
        if words[0] in ("init", "exit"):
            out.append(("target_" + words[0], SHORT[words[1]]))
            continue
        obj = SHORT[words[1]]
        state = STATE[words[2]] if len(words) > 2 else None
        out.append((patch_name, words[0], obj, state, obj == "vmlinux"))
    return out


def observed(scn: Scenario):
    """The scenario as the dmesg of the selftests shows it: calls and target module code."""
    out = []

    def walk(steps):
        for s in steps:
            if isinstance(s, Call):
                out.append((s.patch, s.role, s.obj, s.state, s.mod_null))
            elif isinstance(s, ModuleCode):
                if s.kind.startswith("target_"):
                    out.append((s.kind, s.module))
                walk(s.enable_calls)
    walk(scn.steps)
    return out


def lp_code(scn):
    # a module_exit that runs only when module_init merely registered the patch is marked so
    return [(s.kind + ("_if_registered" if s.if_registered else ""), s.module, s.enable_result)
            for s in scn.steps if isinstance(s, ModuleCode) and s.kind.startswith("lp_")]


def events(text):
    return parse_events(text.replace("M", MOD).replace("B", BUSY))


# ---------------------------------------------------------------- C1-C11 (test-callbacks.sh)

def test_c1_target_module_before_livepatch():
    scn = replay([demo()], events("load:M,enable,disable,unload:M"))
    assert observed(scn) == expect(
        "init M",
        "pre_patch V", "pre_patch M L", "post_patch V", "post_patch M L",
        "pre_unpatch V", "pre_unpatch M L", "post_unpatch V", "post_unpatch M L",
        "exit M")
    assert scn.outcome == "ok"
    assert lp_code(scn) == [("lp_init", LP, "ok"), ("lp_exit", LP, "ok")]


def test_c2_module_coming_notifier():
    scn = replay([demo()], events("enable,load:M,disable,unload:M"))
    assert observed(scn) == expect(
        "pre_patch V", "post_patch V",
        "pre_patch M C", "post_patch M C", "init M",
        "pre_unpatch V", "pre_unpatch M L", "post_unpatch V", "post_unpatch M L",
        "exit M")


def test_c3_module_going_notifier():
    scn = replay([demo()], events("load:M,enable,unload:M,disable"))
    assert observed(scn) == expect(
        "init M",
        "pre_patch V", "pre_patch M L", "post_patch V", "post_patch M L",
        "exit M", "pre_unpatch M G", "post_unpatch M G",
        "pre_unpatch V", "post_unpatch V")


def test_c4_module_coming_and_going_notifiers():
    scn = replay([demo()], events("enable,load:M,unload:M,disable"))
    assert observed(scn) == expect(
        "pre_patch V", "post_patch V",
        "pre_patch M C", "post_patch M C", "init M",
        "exit M", "pre_unpatch M G", "post_unpatch M G",
        "pre_unpatch V", "post_unpatch V")


def test_c5_target_module_not_present():
    scn = replay([demo()], events("enable,disable"))
    assert observed(scn) == expect("pre_patch V", "post_patch V", "pre_unpatch V", "post_unpatch V")


def test_c6_pre_patch_vmlinux_fails():
    scn = replay([demo()], events("load:M,fail:pre_patch:vmlinux,enable,unload:M"))
    assert observed(scn) == expect("init M", "pre_patch V", "exit M")
    (pre,) = scn.calls()
    assert pre.must == "fail"
    assert scn.outcome == "enable failed: -ENODEV"
    # the module load fails: lp_init returns the error and no module_exit runs, unless module_init
    # only registered the patch (4.15-5.0) and the enable was a write to sysfs that failed
    assert lp_code(scn) == [("lp_init", LP, "-ENODEV"), ("lp_exit_if_registered", LP, "ok")]
    notes = [s.text for s in next(s for s in scn.steps if isinstance(s, ModuleCode)
                                  and s.kind == "lp_init").enable_calls
             if isinstance(s, CoreNote)]
    assert any("canceling patching transition" in t for t in notes)


def test_c7_pre_patch_fails_for_module_loading_later():
    scn = replay([demo()], events("enable,fail:pre_patch:M,load:M,disable"))
    assert observed(scn) == expect(
        "pre_patch V", "post_patch V",
        "pre_patch M C",
        "pre_unpatch V", "post_unpatch V")
    assert [c.must for c in scn.calls() if c.role == "pre_patch"] == ["ok", "fail"]
    assert scn.outcome == f"load of {MOD} refused: -ENODEV"
    # refused: its module_init never runs; unloading it is not possible
    with pytest.raises(ScenarioError, match="not loaded"):
        replay([demo()], events("enable,fail:pre_patch:M,load:M,unload:M"))


def test_c8_multiple_target_modules():
    scn = replay([demo()], events("load:B,enable,load:M,unload:M,disable,unload:B"))
    assert observed(scn) == expect(
        "init B",
        "pre_patch V", "pre_patch B L", "post_patch V", "post_patch B L",
        "pre_patch M C", "post_patch M C", "init M",
        "exit M", "pre_unpatch M G", "post_unpatch M G",
        "pre_unpatch V", "pre_unpatch B L", "post_unpatch V", "post_unpatch B L",
        "exit B")


def test_c9_busy_target_module():
    scn = replay([demo()], events("load:B,enable:stalled,load:M,unload:M,disable,unload:B"))
    assert observed(scn) == expect(
        "init B",
        "pre_patch V", "pre_patch B L",
        "pre_patch M C", "init M",
        "exit M", "post_unpatch M G",
        "post_unpatch V", "post_unpatch B L",
        "exit B")
    assert not any(c.role == "pre_unpatch" for c in scn.calls())
    assert lp_code(scn) == [("lp_init", LP, "ok"), ("lp_exit", LP, "ok")]


def test_c10_multiple_livepatches():
    scn = replay([demo(), demo2()], parse_events("enable:1,enable:2,disable:2,disable:1"))
    assert observed(scn) == expect(
        "pre_patch V", "post_patch V",
        "P2 pre_patch V", "P2 post_patch V",
        "P2 pre_unpatch V", "P2 post_unpatch V",
        "pre_unpatch V", "post_unpatch V")
    # rmmod of the second, then the first, as the selftest does
    assert lp_code(scn) == [("lp_init", LP, "ok"), ("lp_init", LP2, "ok"),
                            ("lp_exit", LP2, "ok"), ("lp_exit", LP, "ok")]


def test_c11_atomic_replace():
    scn = replay([demo(), demo2(replace=True)], parse_events("enable:1,enable:2,disable:2"))
    assert observed(scn) == expect(
        "pre_patch V", "post_patch V",
        "P2 pre_patch V", "P2 post_patch V",
        "P2 pre_unpatch V", "P2 post_unpatch V")
    assert lp_code(scn) == [("lp_init", LP, "ok"), ("lp_init", LP2, "ok"),
                            ("lp_exit", LP2, "ok"), ("lp_exit", LP, "ok")]
    with pytest.raises(ScenarioError, match="replaced"):
        replay([demo(), demo2(replace=True)], parse_events("enable:1,enable:2,disable:1"))


# ---------------------------------------------------------------- H1-H10 (hooks API)

def hook_calls(scn, event=None):
    return [(c.role, c.obj, c.state, c.mod_null) for c in scn.calls()
            if event is None or c.event == event]


def kinds(scn, event):
    """Flattened step shapes of one event: ('call', role, obj) / ('note', text) / (kind, module)."""
    out = []

    def walk(steps):
        for s in steps:
            if s.event != event:
                continue
            if isinstance(s, Call):
                out.append(("call", s.role, s.obj))
            elif isinstance(s, CoreNote):
                out.append(("note", s.text))
            else:
                out.append((s.kind, s.module))
                walk(s.enable_calls)
    walk(scn.steps)
    return out


def test_h1_enable_vmlinux():
    scn = replay([HOOKS], ["enable"])
    assert hook_calls(scn) == [("patch_hook", "vmlinux", None, True)]
    seq = [k for k in kinds(scn, "enable") if k[0] == "call" or "patched" in k[1]
           or "completing" in k[1]]
    assert seq[0] == ("call", "patch_hook", "vmlinux")
    assert seq[1] == ("note", "'lp_hooks': object 'vmlinux' patched")
    assert any("completing patching transition" in k[1] for k in seq[2:])
    assert scn.outcome == "ok" and lp_code(scn) == [("lp_init", "lp_hooks", "ok")]


def test_h2_enable_module_already_loaded():
    scn = replay([HOOKS], ["load:m", "enable"])
    assert hook_calls(scn) == [("patch_hook", "vmlinux", None, True),
                               ("patch_hook", "m", "LIVE", False)]


def test_h3_module_loads_while_enabled():
    scn = replay([HOOKS], ["enable", "load:m"])
    assert hook_calls(scn, "load:m") == [("patch_hook", "m", "COMING", False)]
    seq = [k for k in kinds(scn, "load:m") if k[0] != "note" or "patched" in k[1]]
    assert seq == [("call", "patch_hook", "m"), ("note", "'lp_hooks': object 'm' patched"),
                   ("target_init", "m")]


def test_h4_module_loads_while_disabled():
    scn = replay([HOOKS], ["enable", "disable", "load:m"])
    assert hook_calls(scn, "load:m") == []
    assert kinds(scn, "load:m") == [("target_init", "m")]


def test_h5_module_unloads_while_enabled():
    scn = replay([HOOKS], ["enable", "load:m", "unload:m"])
    assert hook_calls(scn, "unload:m") == [("unpatch_hook", "m", "GOING", False)]
    seq = kinds(scn, "unload:m")
    assert seq == [("target_exit", "m"), ("note", "'lp_hooks': object 'm' unpatched"),
                   ("call", "unpatch_hook", "m"),
                   ("note", "'lp_hooks': obj->mod of 'm' is NULL again")]


def test_h6_disable():
    scn = replay([HOOKS], ["load:m", "enable", "disable"])
    assert hook_calls(scn, "disable") == [("unpatch_hook", "vmlinux", None, True),
                                          ("unpatch_hook", "m", "LIVE", False)]
    seq = [k for k in kinds(scn, "disable") if k[0] == "call" or "unpatched" in k[1]
           or "completing" in k[1]]
    assert seq == [("note", "'lp_hooks': completing unpatching transition"),
                   ("note", "'lp_hooks': object 'vmlinux' unpatched"),
                   ("call", "unpatch_hook", "vmlinux"),
                   ("note", "'lp_hooks': object 'm' unpatched"),
                   ("call", "unpatch_hook", "m")]
    # hooks era: module_exit of the livepatch module runs after disable too
    assert lp_code(scn)[-1] == ("lp_exit", "lp_hooks", "ok")


def test_h7_reenable():
    scn = replay([HOOKS], ["load:m", "enable", "disable", "reenable"])
    assert hook_calls(scn, "reenable") == [("patch_hook", "vmlinux", None, True),
                                           ("patch_hook", "m", "LIVE", False)]
    assert scn.outcome == "ok"
    assert [k for k, _, _ in lp_code(scn)] == ["lp_init"]   # enabled again: no module_exit
    # a module loaded while disabled is patched on re-enable, LIVE (H4 then H7)
    scn = replay([HOOKS], ["enable", "disable", "load:m", "reenable", "disable"])
    assert hook_calls(scn, "reenable") == [("patch_hook", "vmlinux", None, True),
                                           ("patch_hook", "m", "LIVE", False)]


def test_h8_unload_after_disable():
    scn = replay([HOOKS], ["load:m", "enable", "disable", "unload:m"])
    assert hook_calls(scn, "unload:m") == []
    assert kinds(scn, "unload:m") == [("target_exit", "m")]


def test_h9_patching_fails_after_hooks():
    scn = replay([HOOKS], ["load:m", "fail:patch:m", "enable"])
    assert hook_calls(scn) == [("patch_hook", "vmlinux", None, True),
                               ("patch_hook", "m", "LIVE", False),
                               ("unpatch_hook", "m", "LIVE", False),
                               ("unpatch_hook", "vmlinux", None, True)]
    assert scn.outcome == "enable failed: -EINVAL"
    assert lp_code(scn) == [("lp_init", "lp_hooks", "-EINVAL"), ("lp_exit_if_registered", "lp_hooks", "ok")]
    # the same for a module loading later: it is refused, no module_init
    scn = replay([HOOKS], ["enable", "fail:patch:m", "load:m", "disable"])
    assert hook_calls(scn, "load:m") == [("patch_hook", "m", "COMING", False),
                                         ("unpatch_hook", "m", "COMING", False)]
    assert ("target_init", "m") not in kinds(scn, "load:m")
    assert hook_calls(scn, "disable") == [("unpatch_hook", "vmlinux", None, True)]


def test_h10_reversed_transition():
    scn = replay([HOOKS], ["load:m", "enable:stalled", "disable"])
    assert hook_calls(scn, "enable:stalled") == [("patch_hook", "vmlinux", None, True),
                                                 ("patch_hook", "m", "LIVE", False)]
    assert hook_calls(scn, "disable") == [("unpatch_hook", "vmlinux", None, True),
                                          ("unpatch_hook", "m", "LIVE", False)]


def test_hooks_all_run_in_order_and_returns_change_nothing():
    p = patch([hook_obj(patch=("a", "b"), unpatch=("c", "d"))], "lp_hooks")
    scn = replay([p], ["fail:patch_hook:vmlinux", "enable", "disable"])
    assert [(c.function, c.hook_index) for c in scn.calls()] == [
        ("a", 0), ("b", 1), ("c", 0), ("d", 1)]
    assert scn.outcome == "ok"


# ---------------------------------------------------------------- callbacks details

def test_pre_patch_fails_on_second_object_unwinds_first():
    scn = replay([demo()], events("load:M,fail:pre_patch:M,enable"))
    assert observed(scn) == expect("init M", "pre_patch V", "pre_patch M L", "post_unpatch V")
    assert [c.must for c in scn.calls() if c.role == "pre_patch"] == ["ok", "fail"]


def test_missing_pre_patch_counts_as_success():
    p = patch([cb_obj(pre=False)])
    scn = replay([p], ["enable", "disable"])
    assert [c.role for c in scn.calls()] == ["post_patch", "pre_unpatch", "post_unpatch"]
    with pytest.raises(ScenarioError, match="no pre_patch"):
        replay([p], ["fail:pre_patch:vmlinux"])


def test_unrelated_module_runs_only_its_own_code():
    scn = replay([demo()], ["enable", "load:other", "unload:other", "disable"])
    assert kinds(scn, "load:other") == [("target_init", "other")]
    assert kinds(scn, "unload:other") == [("target_exit", "other")]


def test_reload_is_a_second_coming():
    scn = replay([demo()], events("enable,load:M,unload:M,load:M,disable"))
    assert [(c.role, c.state) for c in scn.calls() if c.obj == MOD] == [
        ("pre_patch", "COMING"), ("post_patch", "COMING"),
        ("pre_unpatch", "GOING"), ("post_unpatch", "GOING"),
        ("pre_patch", "COMING"), ("post_patch", "COMING"),
        ("pre_unpatch", "LIVE"), ("post_unpatch", "LIVE")]


def test_patch_still_enabled_gets_no_module_exit():
    assert lp_code(replay([demo()], ["enable"])) == [("lp_init", LP, "ok")]
    assert lp_code(replay([demo()], ["enable:stalled"])) == [("lp_init", LP, "ok")]


def test_enable_during_another_transition_is_refused():
    scn = replay([demo(), demo2()], parse_events("enable:1:stalled,enable:2,disable:1"))
    assert scn.outcome == "enable:2 failed: -EBUSY"
    # patch 2 runs nothing; patch 1's reversal runs no pre_unpatch
    assert [(c.patch, c.role) for c in scn.calls()] == [(LP, "pre_patch"), (LP, "post_unpatch")]
    assert lp_code(scn) == [("lp_init", LP, "ok"), ("lp_init", LP2, "-EBUSY"),
                            ("lp_exit", LP, "ok"), ("lp_exit_if_registered", LP2, "ok")]


def test_stacked_patches_share_a_module_in_list_order():
    p2 = patch([cb_obj(), cb_obj(MOD)], LP2)
    scn = replay([demo(), p2], parse_events(f"enable:1,enable:2,load:{MOD},unload:{MOD}"))
    assert [(c.patch, c.role, c.state) for c in scn.calls() if c.obj == MOD] == [
        (LP, "pre_patch", "COMING"), (LP, "post_patch", "COMING"),
        (LP2, "pre_patch", "COMING"), (LP2, "post_patch", "COMING"),
        (LP, "pre_unpatch", "GOING"), (LP, "post_unpatch", "GOING"),
        (LP2, "pre_unpatch", "GOING"), (LP2, "post_unpatch", "GOING")]


def test_refused_module_is_let_go_by_earlier_patches():
    # klp_module_coming() error path: klp_cleanup_module_patches_limited(mod, patch)
    p2 = patch([cb_obj(), cb_obj(MOD)], LP2)
    scn = replay([demo(), p2],
                 parse_events(f"enable:1,enable:2,fail:pre_patch:{MOD},load:{MOD}"))
    # fail applies to every patch with that object: the first patch's pre_patch fails already
    assert [(c.patch, c.role) for c in scn.calls() if c.obj == MOD] == [(LP, "pre_patch")]
    p1 = patch([cb_obj(), cb_obj(MOD, pre=False)], LP)
    scn = replay([p1, p2], parse_events(f"enable:1,enable:2,fail:pre_patch:{MOD},load:{MOD}"))
    assert [(c.patch, c.role, c.state) for c in scn.calls() if c.obj == MOD] == [
        (LP, "post_patch", "COMING"), (LP2, "pre_patch", "COMING"),
        (LP, "pre_unpatch", "COMING"), (LP, "post_unpatch", "COMING")]
    assert scn.outcome == f"load of {MOD} refused: -ENODEV"


def test_registration_rejects_object_without_funcs():
    bad = KlpObject("m", None, None, None, Callbacks(ref("pre")), N)
    scn = replay([patch([cb_obj(), bad])], ["enable"])
    assert scn.calls() == () and scn.outcome == "enable failed: -EINVAL"


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("text, message", [
    ("", "no events"),
    ("enable,,disable", "empty event"),
    ("bogus", "unknown event"),
    ("disable:stalled", "only enable"),
    ("enable:0", "numbered from 1"),
    ("load:vmlinux", "not a module"),
    ("fail:post_unpatch:vmlinux", "returns void"),
    ("fail:nonsense:vmlinux", "ROLE must be"),
])
def test_parse_errors(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_events(text)


def test_parse_events_strips_and_validates():
    assert parse_events("load:m, enable,disable") == ("load:m", "enable", "disable")
    assert parse_events("enable:2:stalled,disable:2") == ("enable:2:stalled", "disable:2")


@pytest.mark.parametrize("patches, evs, message", [
    ([demo()], ["enable", "disable", "reenable"], "cannot be re-enabled since 5.1"),
    ([demo()], ["enable", "disable", "enable"], "cannot be re-enabled since 5.1"),
    ([demo()], [f"unload:{MOD}"], "not loaded"),
    ([demo()], [f"load:{MOD}", f"load:{MOD}"], "already loaded"),
    ([demo()], ["disable"], "not enabled"),
    ([demo()], ["enable", "enable"], "already enabled"),
    ([demo()], ["enable:2"], "only 1 patches"),
    ([demo(), demo2()], ["enable"], "name one"),
    ([demo()], ["fail:pre_patch:nosuch"], "no patch has an object"),
    ([demo()], ["fail:patch_hook:vmlinux"], "hooks-API role"),
    ([HOOKS], ["fail:pre_patch:vmlinux"], "callbacks-API role"),
    ([HOOKS], ["enable", "reenable"], "not disabled"),
    ([HOOKS], ["enable", "disable", "enable"], "use reenable"),
    ([HOOKS, patch([hook_obj()], "lp2")], ["enable:1", "enable:2", "disable:1"], "stacked"),
    ([demo(), demo2()], ["enable:1:stalled", "disable:2"], "not enabled"),
    ([demo(), HOOKS], ["enable:1"], "both API generations"),
])
def test_impossible_sequences(patches, evs, message):
    with pytest.raises(ScenarioError, match=message):
        replay(patches, evs)


def test_disable_of_other_patch_during_transition_is_busy():
    with pytest.raises(ScenarioError, match="-EBUSY"):
        replay([demo(), demo2()], ["enable:2", "enable:1:stalled", "disable:2"])


# ---------------------------------------------------------------- enumeration

def test_enumerate_vmlinux_only():
    names = [s.name for s in enumerate_scenarios([demo2()])]
    assert names == ["enable,disable", "fail:pre_patch:vmlinux,enable", "enable:stalled,disable"]
    hooks_names = [s.name for s in enumerate_scenarios([patch([hook_obj()], "lp")])]
    assert hooks_names[0] == "enable,disable"
    assert "enable,disable,reenable,disable" in hooks_names
    assert all(s.steps[-1].kind == "lp_exit" for s in enumerate_scenarios([demo2()])
               if s.outcome == "ok")


def test_enumerate_covers_module_variants():
    names = {s.name for s in enumerate_scenarios([demo()])}
    for wanted in ["load:M,enable,disable", "enable,load:M,disable",
                   "load:M,enable,unload:M,disable", "enable,load:M,unload:M,disable",
                   "load:M,enable,disable,unload:M", "enable,load:M,unload:M,load:M,disable",
                   "load:M,load:B,fail:pre_patch:vmlinux,enable",
                   "load:M,load:B,fail:pre_patch:M,enable",
                   "enable,fail:pre_patch:M,load:M,disable",
                   "enable:stalled,load:M,unload:M,disable",
                   "load:M,load:B,enable,disable"]:
        assert ",".join(events(wanted)) in names, wanted
    # each alone or all together, never a product such as B before and M after
    assert ",".join(events("load:B,enable,load:M,disable")) not in names
    assert not any("reenable" in n for n in names)


def test_enumerate_deterministic_shortest_first_bounded():
    first = [s.name for s in enumerate_scenarios([demo()])]
    assert first == [s.name for s in enumerate_scenarios([demo()])]
    lengths = [len(n.split(",")) for n in first]
    assert lengths == sorted(lengths)
    assert len(first) == len(set(first))
    assert [s.name for s in enumerate_scenarios([demo()], max_scenarios=5)] == first[:5]
    assert len(enumerate_scenarios([demo()], max_scenarios=0)) == 0


def test_enumerate_several_patches():
    names = [s.name for s in enumerate_scenarios([demo(), demo2()], max_scenarios=200)]
    assert "enable:1,enable:2,disable:2,disable:1" in names
    assert "enable:1,enable:2,disable:1,disable:2" in names
    names = [s.name for s in enumerate_scenarios([demo(), demo2(replace=True)], max_scenarios=200)]
    assert "enable:1,enable:2,disable:2" in names
    assert "enable:1,enable:2,disable:2,disable:1" not in names


def test_enumerated_scenarios_all_replay():
    for patches in ([demo()], [HOOKS], [demo(), demo2(replace=True)]):
        for scn in enumerate_scenarios(patches, max_scenarios=500):
            assert replay(patches, scn.events) == scn


# ---------------------------------------------------------------- trace rendering

def test_json_shape():
    scn = replay([demo()], events("load:M,enable,disable"))
    data = json.loads(render([demo()], [scn], "json"))
    assert isinstance(data, list) and len(data) == 1
    assert list(data[0]) == ["scenario", "calls", "outcome", "module_init"]
    assert data[0]["module_init"] == [{"patch": LP, "event": "enable", "mode": "enables", "result": "ok"}]
    assert data[0]["scenario"] == scn.name and data[0]["outcome"] == "ok"
    assert list(data[0]["calls"][0]) == ["patch", "role", "function", "object", "state"]
    assert data[0]["calls"][0] == {"patch": LP, "role": "pre_patch",
                                   "function": "pre_patch_callback", "object": "vmlinux",
                                   "state": None}
    assert data[0]["calls"][1]["object"] == MOD and data[0]["calls"][1]["state"] == "LIVE"


def test_text_lines_follow_the_selftests():
    scn = replay([demo()], events("load:M,enable,disable,unload:M"))
    text = render([demo()], [scn], "text")
    lines = text.splitlines()
    assert lines[0] == f"scenario: {scn.name}"
    assert f"% modprobe {MOD}" in lines and f"% rmmod {LP}" in lines
    assert f"% echo 0 > /sys/kernel/livepatch/{LP}/enabled" in lines
    assert any(line.startswith(f"  {LP}: pre_patch_callback: vmlinux ") for line in lines)
    assert any(line.startswith(f"  {LP}: pre_patch_callback: {MOD} -> [MODULE_STATE_LIVE]")
               for line in lines)
    assert lines[-1] == "outcome: ok"
    # annotations are aligned in one column
    cols = {line.index("[pre_patch") for line in lines if "[pre_patch" in line}
    assert len(cols) == 1


# ---------------------------------------------------------------- enabling fails; registered only

def test_every_patch_has_a_scenario_where_enabling_fails():
    # klp_enable_patch() can fail with no callback to blame (patching fails): even a patch
    # without callbacks or hooks gets that scenario, so module_init's error path is run
    plain = patch([KlpObject(None, funcs(), None, None, None, N)])
    scn = {s.name: s for s in enumerate_scenarios([plain])}["fail:patch:vmlinux,enable"]
    assert scn.outcome == "enable failed: -EINVAL" and scn.calls() == ()
    # where a pre_patch or a hook can fail, those scenarios already make the enable fail
    assert not any(s.name.startswith("fail:patch:") for s in enumerate_scenarios([demo()]))


def test_failed_enable_is_followed_by_module_exit_only_if_registered():
    # a module_init that only registered left the enable to sysfs: the failed write leaves the
    # module loaded, and its module_exit runs when it is removed; trace says which
    scn = replay([demo()], events("fail:pre_patch:vmlinux,enable"))
    (exit_,) = [s for s in scn.steps if isinstance(s, ModuleCode) and s.kind == "lp_exit"]
    assert exit_.if_registered
    text = render([demo()], [scn])
    assert "[lp_exit, only if module_init just registered the patch]" in text
    # a patch klp_register_patch() rejects is never left registered
    broken = patch([KlpObject(None, None, None, None, None, N)])
    scn = replay([broken], ["enable"])
    assert scn.outcome == "enable failed: -EINVAL"
    assert [s for s in scn.steps if isinstance(s, ModuleCode) and s.kind == "lp_exit"] == []


# ---------------------------------------------------------------- typed core notes

def _acts(scn: Scenario):
    """The notes that say, as data, what the core did to which patch and object (objects.py reads these)."""
    out = []

    def walk(steps):
        for s in steps:
            if isinstance(s, ModuleCode):
                walk(s.enable_calls)
            elif isinstance(s, CoreNote) and s.act is not CoreAct.OTHER:
                out.append((s.act, s.patch, s.obj))
    walk(scn.steps)
    return out


def test_core_notes_say_what_the_core_did_as_data():
    scn = replay([demo()], events("load:M,enable,disable"))
    patched = [(CoreAct.OBJECT_PATCHED, LP, o) for o in ("vmlinux", MOD)]
    unpatched = [(CoreAct.OBJECT_UNPATCHED, LP, o) for o in ("vmlinux", MOD)]
    # BUSY is not loaded: never patched; disabling completes an unpatching transition, which is no act
    assert _acts(scn) == patched + [(CoreAct.PATCHING_COMPLETE, LP, None)] + unpatched


def test_core_note_of_a_replaced_patch_names_the_replaced_one():
    scn = replay([demo(), demo2(replace=True)], events("enable:1,enable:2"))
    acts = _acts(scn)
    assert (CoreAct.REPLACED, LP, None) in acts
    assert acts.index((CoreAct.REPLACED, LP, None)) < acts.index((CoreAct.PATCHING_COMPLETE, LP2, None))
