"""Unit tests of the oracle's parsing, comparison, scenario and script generation (no VM; inputs written here)."""
import gzip
import os
import shutil
import subprocess

import pytest

from klplint.oracle import compare as cmp
from klplint.oracle.console import errno_from_message, errno_name, find_reports, parse_run
from klplint.oracle.corpus import expectations, object_names
from klplint.oracle.harness import boot_problems, observed_outcome, went_away
from klplint.oracle.initramfs import CpioWriter
from klplint.oracle.initscript import InitOptions, cleanup_order, render_init
from klplint.oracle.offsets import Offsets, parse_helper_asm
from klplint.oracle.parts import MissingPart, image_release
from klplint.oracle.qemu import BootResult
from klplint.oracle.predict import PredictionUnavailable, parse_trace_json
from klplint.oracle.probes import Probe, check_symbols, kprobe_definition, probes_from_source
from klplint.oracle.elf import KoInfo
from klplint.oracle.scenario import FailKnob, ScenarioUnsupported, build_scenario, split_events
from klplint.oracle.selftests import CASES, expected_sequences
from klplint.oracle.console import ScenarioRecord, StepRecord

pytestmark = pytest.mark.oracle

OFFS = Offsets(klp_object_name=0, klp_object_mod=152, compat_object_name=0, compat_object_mod=32,
               module_state=0, module_name=24, module_state_size=4, MODULE_STATE_LIVE=0,
               MODULE_STATE_COMING=1, MODULE_STATE_GOING=2, MODULE_STATE_UNFORMED=3)
STATES = {0: "LIVE", 1: "COMING", 2: "GOING", 3: "UNFORMED"}
PROBES = [Probe("lp", "pre_cb", ("pre_patch",)), Probe("lp", "post_cb", ("post_patch",)),
          Probe("lp", "shared_cb", ("pre_unpatch", "post_unpatch"))]


def _t(ts, body, task="init-1"):
    return f"            {task}       [000] .....   {ts:9.6f}: {body}"


# ---------------------------------------------------------------- trace stream parsing

CHANNEL = "\n".join([
    "@@KLPORACLE BOOT 6.1.0-56-amd64",
    _t(1.0, "tracing_mark_write: KLPORACLE READY"),
    _t(1.1, "tracing_mark_write: KLPORACLE SCENARIO 0 BEGIN S0"),
    _t(1.2, "tracing_mark_write: KLPORACLE STEP 0 0 load m"),
    _t(1.21, "sys_finit_module(fd: 3, uargs: 55d2, flags: 0)", "insmod-50"),
    _t(1.22, "sys_finit_module -> 0x0", "insmod-50"),
    _t(1.3, "tracing_mark_write: KLPORACLE RESULT 0 0 rc=0 wait=- err="),
    _t(1.4, "tracing_mark_write: KLPORACLE STEP 0 1 enable lp"),
    _t(1.41, "console: livepatch: enabling patch 'lp'", "insmod-51"),
    _t(1.42, "f0: (pre_cb+0x0/0x18 [lp]) objname=(fault) mod=0x0 state=1946182767 modname=(fault)", "insmod-51"),
    _t(1.43, 'f0: (pre_cb+0x0/0x18 [lp]) objname="m" mod=0xffffffffc05b8040 state=0 modname="m"', "insmod-51"),
    _t(2.50, 'f1: (post_cb+0x0/0x18 [lp]) objname="m" mod=0xffffffffc05b8040 state=0 modname="m"', "kworker/1:1-29"),
    _t(2.51, "console: livepatch: 'lp': patching complete", "kworker/1:1-29"),
    _t(2.6, "tracing_mark_write: KLPORACLE RESULT 0 1 rc=0 wait=complete err="),
    _t(2.7, "tracing_mark_write: KLPORACLE STEP 0 2 unload m"),
    _t(2.71, 'f2: (shared_cb+0x0/0x18 [lp]) objname="m" mod=0xffffffffc05b8040 state=2 modname="m"', "rmmod-52"),
    _t(2.8, "tracing_mark_write: KLPORACLE RESULT 0 2 rc=0 wait=gone err="),
    _t(2.9, "tracing_mark_write: KLPORACLE CLEANUP 0"),
    _t(2.95, "f2: (shared_cb+0x0/0x18 [lp]) objname=(fault) mod=0x0 state=0 modname=(fault)", "sh-60"),
    _t(3.0, "tracing_mark_write: KLPORACLE CLEANED 0 left="),
    _t(3.01, "tracing_mark_write: KLPORACLE SCENARIO 0 END"),
    _t(3.1, "tracing_mark_write: KLPORACLE SCENARIO 1 BEGIN S1"),
    _t(3.2, "tracing_mark_write: KLPORACLE STEP 1 0 enable lp"),
    _t(3.21, "sys_finit_module(fd: 3, uargs: 55d2, flags: 0)", "insmod-70"),
    _t(3.22, "f0: (0xffffffffc05b606f) objname=(fault) mod=0x0 state=0 modname=(fault)", "insmod-70"),
    _t(3.23, "console: BUG: kernel NULL pointer dereference, address: 0000000000000018", "insmod-70"),
    _t(3.24, "console: #PF: supervisor read access in kernel mode", "insmod-70"),
    _t(3.25, "console: ---[ end trace 0000000000000000 ]---", "insmod-70"),
    _t(3.26, "sys_finit_module -> 0xffffffffffffffed", "insmod-70"),
    _t(3.3, "tracing_mark_write: KLPORACLE RESULT 1 0 rc=1 wait=- err=insmod: ERROR: could not insert module /modules/lp.ko: No such device"),
    _t(3.4, "tracing_mark_write: KLPORACLE END complete"),
    "@@KLPORACLE DONE complete",
])

CONSOLE = "\n".join([
    "[    0.000000] Linux version 6.1.0-56-amd64",
    "[    3.230000] BUG: kernel NULL pointer dereference, address: 0000000000000018",
    "[    9.000000] INFO: task insmod:71 blocked for more than 10 seconds.",
    "[    9.000001]       Tainted: G      D    OE      6.1.0-56-amd64 #1 Debian 6.1.192-2",
])


def test_parse_run_assigns_calls_to_steps_and_decodes_objects():
    vm = parse_run(CONSOLE, CHANNEL, PROBES, STATES, ["S0", "S1"])
    assert vm.booted and vm.complete and not vm.aborted
    s0 = vm.scenarios[0]
    assert [st.kind for st in s0.steps] == ["load", "enable", "unload"]
    assert s0.steps[0].calls == []
    enable = s0.steps[1]
    got = [(c.function, c.object, c.state, c.mod_null) for c in enable.calls]
    assert got == [("pre_cb", "vmlinux", None, True), ("pre_cb", "m", "LIVE", False),
                   ("post_cb", "m", "LIVE", False)]
    assert enable.klp_lines == ["livepatch: enabling patch 'lp'", "livepatch: 'lp': patching complete"]
    assert enable.wait == "complete" and enable.rc == "0"
    unload = s0.steps[2]
    assert [(c.function, c.roles, c.object, c.state) for c in unload.calls] == \
        [("shared_cb", ("pre_unpatch", "post_unpatch"), "m", "GOING")]
    # cleanup calls are kept apart from the scenario's
    assert [c.function for c in s0.calls] == ["pre_cb", "pre_cb", "post_cb", "shared_cb"]
    assert [c.object for c in s0.cleanup.calls] == ["vmlinux"]
    assert s0.began and s0.ended and s0.left_loaded == []


def test_parse_run_failed_step_errno_and_reports():
    vm = parse_run(CONSOLE, CHANNEL, PROBES, STATES, ["S0", "S1"])
    st = vm.scenarios[1].steps[0]
    assert st.failed and st.errno == 19 and errno_name(st.errno) == "-ENODEV"
    assert st.err.endswith("No such device")
    kinds = [(r.kind, r.scenario, r.step) for r in vm.reports]
    # the oops came through the trace (step known); the hung task only on the console
    assert ("oops", 1, "0") in kinds
    assert ("hung_task", 1, "0") in kinds
    assert sum(r.kind == "oops" for r in vm.reports) == 1      # not counted twice
    oops = next(r for r in vm.reports if r.kind == "oops")
    assert oops.title.startswith("BUG: kernel NULL pointer dereference")
    assert "#PF: supervisor read access" in oops.text


def test_parse_run_without_end_marker_is_incomplete():
    cut = CHANNEL.split("\n")[:12]
    vm = parse_run("", "\n".join(cut), PROBES, STATES, ["S0", "S1"])
    assert not vm.complete
    assert vm.scenarios[0].steps[1].rc is None        # the step never reported
    assert not vm.scenarios[1].began


def _boot(console="", channel="", rc=0, timed_out=False, stalled=False):
    return BootResult(console=console, channel=channel, returncode=rc, timed_out=timed_out, seconds=17.0,
                      accel="kvm", command=["qemu"], stalled=stalled)


def test_a_vm_that_goes_away_mid_run_is_a_problem_naming_the_console():
    cut = "\n".join(CHANNEL.split("\n")[:12])
    console = CONSOLE + "\n[   16.9] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\n"
    res = _boot(console, cut)
    vm = parse_run(console, cut, PROBES, STATES, ["S0", "S1"])
    assert vm.booted and not vm.complete and went_away(res, vm)
    (problem,) = boot_problems(res, vm, 45)
    assert problem.startswith("the VM stopped before /init finished (kvm: qemu exited with status 0 after 17 s)")
    assert "Attempted to kill init" in problem


def test_a_complete_or_killed_vm_is_not_one_that_went_away():
    whole = parse_run(CONSOLE, CHANNEL, PROBES, STATES, ["S0", "S1"])
    assert not went_away(_boot(CONSOLE, CHANNEL), whole)
    assert boot_problems(_boot(CONSOLE, CHANNEL), whole, 45) == []
    cut = "\n".join(CHANNEL.split("\n")[:12])
    partial = parse_run("", cut, PROBES, STATES, ["S0", "S1"])
    killed = boot_problems(_boot("", cut, rc=-9, timed_out=True), partial, 45)
    assert killed == ["the VM was killed after 17 s (hang or too slow)"]
    silent = boot_problems(_boot("", cut, rc=-9, stalled=True), partial, 45)
    assert len(silent) == 1 and silent[0].startswith("the VM was killed: /init said nothing for 45 s")


def test_busybox_retry_keeps_only_the_last_attempt():
    ch = "\n".join([
        _t(1.0, "tracing_mark_write: KLPORACLE SCENARIO 0 BEGIN S"),
        _t(1.1, "tracing_mark_write: KLPORACLE STEP 0 0 enable lp"),
        _t(1.2, "sys_finit_module(fd: 3, uargs: 1, flags: 0)", "insmod-5"),
        _t(1.3, "f0: (pre_cb+0x0/0x18 [lp]) objname=(fault) mod=0x0 state=0 modname=(fault)", "insmod-5"),
        _t(1.4, "sys_finit_module -> 0xffffffffffffffed", "insmod-5"),
        _t(1.5, "sys_init_module(umod: 1, len: 2, uargs: 3)", "insmod-5"),
        _t(1.6, "f0: (pre_cb+0x0/0x18 [lp]) objname=(fault) mod=0x0 state=0 modname=(fault)", "insmod-5"),
        _t(1.7, "sys_init_module -> 0xffffffffffffffed", "insmod-5"),
        _t(1.8, "tracing_mark_write: KLPORACLE RESULT 0 0 rc=19 wait=- err=insmod: can't insert 'lp.ko': No such device"),
    ])
    once = parse_run("", ch, PROBES, STATES, ["S"], multi_attempt_loads=True).scenarios[0].steps[0]
    assert once.attempts == 2 and len(once.calls) == 1 and once.errno == 19
    twice = parse_run("", ch, PROBES, STATES, ["S"], multi_attempt_loads=False).scenarios[0].steps[0]
    assert len(twice.calls) == 2


def test_find_reports_kinds():
    lines = ["random line",
             "WARNING: CPU: 1 PID: 33 at kernel/livepatch/core.c:100 klp_foo+0x1/0x2",
             "Modules linked in: lp(OEK)",
             "---[ end trace 0000000000000000 ]---",
             "INFO: task kworker/0:1:17 blocked for more than 10 seconds.",
             "      Not tainted 6.1.0",
             "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:80]",
             "Kernel panic - not syncing: Fatal exception"]
    reps = find_reports(lines)
    assert [r.kind for _, r in reps] == ["warning", "hung_task", "soft_lockup", "panic"]
    assert reps[0][1].text.endswith("---[ end trace 0000000000000000 ]---")


def test_errno_from_messages():
    assert errno_from_message("insmod: ERROR: could not insert module x.ko: No such device") == 19
    assert errno_from_message("sh: write error: Invalid argument") == 22
    assert errno_from_message("rmmod: ERROR: Module x is in use") == 16      # kmod refuses by itself
    assert errno_from_message("something else entirely") is None
    assert errno_name(16) == "-EBUSY"


def test_observed_outcome_uses_the_models_words():
    sc = build_scenario("enable,fail:pre_patch:m,load:m,disable", ["lp"],
                        fail_knobs={"lp": {"pre_patch": FailKnob("pre_patch_ret")}})
    rec = ScenarioRecord(0, "x", began=True)
    rec.steps = [StepRecord(0, "0", "enable", "lp", rc="0", wait="complete"),
                 StepRecord(0, "1", "set_param", "lp", rc="0"),
                 StepRecord(0, "2", "load", "m", rc="1", syscall_returns=[("finit_module", -19)]),
                 StepRecord(0, "3", "disable", "lp", rc="0", wait="gone")]
    assert observed_outcome(sc, rec) == "load of m refused: -ENODEV"
    rec.steps[2] = StepRecord(0, "2", "load", "m", rc="0")
    rec.steps[0] = StepRecord(0, "0", "enable", "lp", rc="timeout")
    assert observed_outcome(sc, rec) == "enable hung"


# ---------------------------------------------------------------- comparison

def _c(role, fn, obj, state=None, patch="lp"):
    return {"patch": patch, "role": role, "function": fn, "object": obj, "state": state}


def _o(roles, fn, obj, state=None, patch="lp", event="enable"):
    return {"patch": patch, "roles": list(roles), "function": fn, "object": obj, "state": state,
            "event": event}


PRED = [_c("pre_patch", "pre_cb", "vmlinux"), _c("pre_patch", "pre_cb", "m", "LIVE"),
        _c("post_patch", "post_cb", "vmlinux"), _c("post_patch", "post_cb", "m", "LIVE")]
OBS = [_o(["pre_patch"], "pre_cb", "vmlinux"), _o(["pre_patch"], "pre_cb", "m", "LIVE"),
       _o(["post_patch"], "post_cb", "vmlinux"), _o(["post_patch"], "post_cb", "m", "LIVE")]


def test_identical_sequences_match():
    c = cmp.compare("S", [(PRED, "ok")], OBS, "ok")
    assert c.matched and all(r.mark == "=" for r in c.rows) and len(c.rows) == 4


def test_swapped_order_is_a_mismatch():
    perturbed = [PRED[1], PRED[0]] + PRED[2:]
    c = cmp.compare("S", [(perturbed, "ok")], OBS, "ok")
    assert not c.matched
    assert [r.mark for r in c.rows].count("=") == 3
    text = c.render()
    assert "MISMATCH" in text and "predicted" in text and "observed" in text


@pytest.mark.parametrize("change", [
    lambda p: p[:-1],                                                  # a call missing
    lambda p: p + [_c("post_patch", "post_cb", "m", "LIVE")],          # one too many
    lambda p: p[:1] + [_c("pre_patch", "pre_cb", "m", "COMING")] + p[2:],   # wrong state
    lambda p: p[:1] + [_c("pre_patch", "pre_cb", "n", "LIVE")] + p[2:],     # wrong object
    lambda p: [_c("post_patch", "pre_cb", "vmlinux")] + p[1:],         # role the function has not
    lambda p: [dict(p[0], patch="other")] + p[1:],                     # another patch
])
def test_perturbed_predictions_are_detected(change):
    c = cmp.compare("S", [(change(list(PRED)), "ok")], OBS, "ok")
    assert not c.matched
    assert any(r.mark != "=" for r in c.rows)


def test_outcome_mismatch_alone_fails():
    c = cmp.compare("S", [(PRED, "enable failed: -ENODEV")], OBS, "ok")
    assert c.calls_match and not c.outcome_matches and not c.matched
    assert "! outcome: enable failed: -ENODEV" in c.render()


def test_ambiguous_role_matches_either_role():
    obs = [_o(["pre_unpatch", "post_unpatch"], "shared_cb", "m", "GOING")]
    assert cmp.compare("S", [([_c("post_unpatch", "shared_cb", "m", "GOING")], None)], obs, "ok").matched
    assert not cmp.compare("S", [([_c("pre_patch", "shared_cb", "m", "GOING")], None)], obs, "ok").matched


def test_any_predicted_alternative_may_match():
    wrong = list(reversed(PRED))
    c = cmp.compare("S", [(wrong, "ok"), (PRED, "ok")], OBS, "ok")
    assert c.matched


def test_render_marks_every_line():
    c = cmp.compare("S", [(PRED[:3] + [_c("pre_unpatch", "x", "vmlinux")], "ok")], OBS + [OBS[0]], "ok")
    text = c.render().splitlines()
    assert text[0] == "scenario S: MISMATCH"
    assert text[1].split("|")[0].strip().startswith("predicted") and "observed" in text[1]
    lines = [ln for ln in text[2:] if "|" in ln and "outcome" not in ln and "--" not in ln.split("|")[1][:4]]
    assert len(lines) == 5 and all(ln[2] in "=!<>" for ln in lines)
    assert any(ln.rstrip().endswith("match") for ln in lines)
    assert any("MISMATCH" in ln or "EXTRA" in ln or "MISSING" in ln for ln in lines)


def test_trace_json_shape():
    text = ('[{"scenario": "load:m,enable", "calls": [{"patch": "lp", "role": "pre_patch", '
            '"function": "pre_cb", "object": "vmlinux", "state": null, "extra": 1}], "outcome": "ok"}]')
    (p,) = parse_trace_json(text)
    assert p.scenario == "load:m,enable" and p.outcome == "ok"
    assert p.calls == ({"patch": "lp", "role": "pre_patch", "function": "pre_cb", "object": "vmlinux",
                        "state": None},)
    with pytest.raises(PredictionUnavailable):
        parse_trace_json('[{"scenario": "x", "calls": [{"patch": "lp"}]}]')
    with pytest.raises(PredictionUnavailable):
        parse_trace_json("not json")


# ---------------------------------------------------------------- scenarios and the /init script

def test_build_scenario_steps():
    sc = build_scenario("load:m,enable,fail:pre_patch:m,unload:m,load:m,disable,unload:m", ["lp"],
                        params={"m": "x=1"}, fail_knobs={"lp": {"pre_patch": FailKnob("ret", "-19")}})
    assert [(s.kind, s.module) for s in sc.steps] == [
        ("load", "m"), ("enable", "lp"), ("set_param", "lp"), ("unload", "m"), ("load", "m"),
        ("disable", "lp"), ("unload", "m")]
    assert sc.steps[0].params == "x=1" and sc.steps[2].param == "ret" and sc.steps[2].value == "-19"
    assert sc.modules == ("m", "lp")
    early = build_scenario("fail:pre_patch:vmlinux,enable", ["lp"],
                           fail_knobs={"lp": {"pre_patch": FailKnob("ret", "-19")}})
    assert [(s.kind, s.params) for s in early.steps] == [("enable", "ret=-19")]
    stacked = build_scenario("enable:1,enable:2:stalled,disable:2", ["a", "b"])
    assert [(s.kind, s.module, s.wait) for s in stacked.steps] == [
        ("enable", "a", "complete"), ("enable", "b", "stalled"), ("disable", "b", "complete")]


def test_build_scenario_errors():
    with pytest.raises(ScenarioUnsupported):
        build_scenario("enable,fail:pre_patch:vmlinux", ["lp"])
    with pytest.raises(Exception, match="unknown event"):
        split_events("enable,explode")
    with pytest.raises(Exception, match="name one"):
        build_scenario("enable", ["a", "b"])


def test_selftest_cases_cover_c1_to_c11():
    assert [c.row for c in CASES] == [f"C{i}" for i in range(1, 12)]
    for c in CASES:
        c.scenario()


def test_render_init_script():
    sc = build_scenario("load:m,enable,disable,unload:m", ["lp"], params={"m": "a=1 b='x y'"}, name="S")
    script = render_init([sc], PROBES, OFFS, InitOptions(step_timeout=7))
    assert script.startswith("#!/bin/sh")
    probe_lines = [ln for ln in script.splitlines() if "kprobe_events" in ln and ln.startswith("echo")]
    assert len(probe_lines) == 3
    assert "p:klporacle/f0 lp:pre_cb objname=+0(+0(%di)):string mod=+152(%di):x64 " \
           "state=+0(+152(%di)):s32 modname=+24(+152(%di)):string" in probe_lines[0]
    # probes come before the first step, steps in order, cleanup newest first
    import re
    body = script.splitlines()
    calls = [i for i, ln in enumerate(body) if re.match(r"(DEPS=\S* )?step_\w+ \d", ln)]
    assert all(i < calls[0] for i, ln in enumerate(body) if "kprobe_events ||" in ln)
    steps = [re.match(r"(?:DEPS=\S* )?(step_\w+)", body[i]).group(1) for i in calls]
    assert steps == ["step_load", "step_enable", "step_disable", "step_unload"]
    assert "cleanup 0 lp m" in script
    assert "STEP_TIMEOUT=7" in script
    assert "a=1 'b=x y'" in script
    busybox = shutil.which("busybox")
    if busybox:
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"klp-oracle-init-{os.getpid()}.sh")
        with open(path, "w") as f:
            f.write(script)
        try:
            proc = subprocess.run([busybox, "sh", "-n", path], capture_output=True, text=True)
        finally:
            os.unlink(path)
        assert proc.returncode == 0, proc.stderr


def test_cleanup_order_includes_dependencies():
    sc = build_scenario("load:nfsd,enable,disable", ["lp"])
    assert cleanup_order(sc, {"nfsd": ("sunrpc", "lockd")}) == ["lp", "nfsd", "lockd", "sunrpc"]


def test_kprobe_definition_for_hooks_compat_object():
    d = kprobe_definition(3, Probe("lp", "hook", ("patch_hook",), compat=True), OFFS)
    assert d.startswith("p:klporacle/f3 lp:hook ")
    assert "mod=+32(%di):x64" in d and "objname=+0(+0(%di)):string" in d


def test_check_symbols():
    ko = KoInfo(functions=("a", "b", "c"), modinfo=(), addresses=(("a", 2, 0), ("b", 2, 16), ("c", 2, 16)))
    probs = check_symbols([Probe("lp", "a"), Probe("lp", "b"), Probe("lp", "c"), Probe("lp", "gone")],
                          {"lp": ko})
    assert any("no function gone" in p for p in probs)
    assert any("merged" in p and "b" in p for p in probs)
    assert not any(p.startswith("lp: a ") for p in probs)


def test_offsets_helper_parsing():
    asm = '.ascii "->KLPORACLE klp_object_mod $152"\t#\n.ascii "->KLPORACLE module_state $0"'
    assert parse_helper_asm(asm) == {"klp_object_mod": 152, "module_state": 0}


def test_probes_from_initializers(tmp_path):
    src = tmp_path / "lp_x.c"
    src.write_text("""
static struct klp_hook ph[] = { { .hook = setup }, { .hook = again }, { } };
static struct klp_hook uh[] = { { .hook = teardown }, { } };
static struct klp_object objs[] = {
    { .funcs = f, .patch_hooks = ph, .unpatch_hooks = uh, },
    { .name = "m", .funcs = f, .callbacks = { .pre_patch = &pre, .post_unpatch = NULL, } },
    { }
};
/* .post_patch = commented_out */
""")
    got = {(p.function, p.roles, p.compat) for p in probes_from_source(str(src), compat=True)}
    assert got == {("setup", ("patch_hook",), True), ("again", ("patch_hook",), True),
                   ("teardown", ("unpatch_hook",), True), ("pre", ("pre_patch",), False)}


def test_expected_sequences_from_a_selftest_script():
    script = '''MOD_LIVEPATCH=lp
MOD_TARGET=tm
start_test "one"
load_lp $MOD_LIVEPATCH
check_result "% modprobe $MOD_LIVEPATCH
livepatch: enabling patch '$MOD_LIVEPATCH'
$MOD_LIVEPATCH: pre_patch_callback: vmlinux
$MOD_LIVEPATCH: post_patch_callback: $MOD_TARGET -> [MODULE_STATE_COMING] Full formed, running module_init
$MOD_TARGET: ${MOD_TARGET}_init"

start_test "two"
check_result ""
'''
    got = expected_sequences(script)
    assert got["one"] == [
        {"patch": "lp", "role": "pre_patch", "function": "pre_patch_callback", "object": "vmlinux", "state": None},
        {"patch": "lp", "role": "post_patch", "function": "post_patch_callback", "object": "tm", "state": "COMING"}]
    assert got["two"] == []


def test_corpus_expectations_and_objects(tmp_path):
    src = tmp_path / "x.c"
    src.write_text('// expect KLP201\nfoo(); // expect@+1 KLP104, KLP105\n'
                   'static struct klp_object o[] = { { .name = "nfsd" }, { .name = "vmlinux" } };\n'
                   '/* .name = "commented" */\n')
    assert expectations(str(src)) == ("KLP201", "KLP104", "KLP105")
    assert object_names(str(src)) == ("nfsd",)


# ---------------------------------------------------------------- packing and parts

def test_cpio_newc_archive():
    w = CpioWriter()
    w.file("modules/a.ko", b"abc")
    w.symlink("bin/sh", "busybox")
    w.file("init", b"#!/bin/sh\n", 0o755)
    data = w.getvalue()
    names, off = [], 0
    while True:
        assert data[off:off + 6] == b"070701"
        fields = [int(data[off + 6 + 8 * i: off + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        name = data[off + 110: off + 110 + namesize - 1].decode()
        off += 110 + namesize
        off += -off % 4
        body = data[off: off + size]
        off += size
        off += -off % 4
        if name == "TRAILER!!!":
            break
        names.append((name, oct(mode), body))
    assert ("modules", "0o40755", b"") in names
    assert ("modules/a.ko", "0o100644", b"abc") in names
    assert ("bin/sh", "0o120777", b"busybox") in names
    assert ("init", "0o100755", b"#!/bin/sh\n") in names
    assert off == len(data)
    assert gzip.decompress(gzip.compress(data)) == data


def test_missing_part_names_the_package():
    e = MissingPart("qemu-system-x86_64", "qemu-system-x86")
    assert "qemu-system-x86_64 not found" in str(e)
    assert "apt-get install qemu-system-x86" in str(e)
    assert "\n" not in str(e)


def test_image_release_of_a_bzimage(tmp_path):
    img = bytearray(0x4000)
    img[0x202:0x206] = b"HdrS"
    img[0x20E:0x210] = (0x1000).to_bytes(2, "little")
    ver = b"6.1.0-99-amd64 (debian-kernel@lists.debian.org) #1 SMP\0"
    img[0x1200:0x1200 + len(ver)] = ver
    p = tmp_path / "vmlinuz"
    p.write_bytes(bytes(img))
    assert image_release(str(p)) == "6.1.0-99-amd64"
    (tmp_path / "not").write_bytes(b"\0" * 100)
    assert image_release(str(tmp_path / "not")) is None


def test_knob_caveat():
    from klplint.oracle.scenario import knob_caveat
    objs = ["m", "b"]
    assert knob_caveat("load:m,fail:pre_patch:vmlinux,enable", objs) is None
    assert knob_caveat("enable,fail:pre_patch:m,load:m,disable", objs) is None
    assert "vmlinux too" in knob_caveat("load:m,fail:pre_patch:m,enable", objs)
    assert "of b too" in knob_caveat("enable,fail:pre_patch:m,load:m,load:b,disable", objs)
    assert knob_caveat("enable,fail:pre_patch:m,load:m,load:other,disable", objs) is None


def test_confirmation_lists_missing_and_extra_calls():
    from klplint.oracle.corpus import Confirmation
    from klplint.oracle.harness import ScenarioResult
    from klplint.oracle.scenario import build_scenario
    sc = build_scenario("enable,disable", ["lp"])
    observed = OBS[:2]
    res = ScenarioResult(sc, ScenarioRecord(0, "x", began=True), observed, "ok", [], [])
    c = Confirmation("lp.c", "enable,disable", res, cmp.compare("enable,disable", [(PRED, "ok")], observed, "ok"),
                     None)
    assert c.matched is False and not c.oops and not c.hung
    assert [x["function"] for x in c.missing_calls] == ["post_cb", "post_cb"]
    assert c.extra_calls == []
    assert "2 predicted call(s) missing" in c.render()
