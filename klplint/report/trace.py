"""Rendering of lifecycle scenarios for `klplint trace`: text to hold against dmesg, or JSON."""
from __future__ import annotations

import json
from typing import List, Optional, Sequence, Tuple

from klplint.analysis.initmode import InitMode
from klplint.analysis.lifecycle import Call, CoreNote, ModuleCode, Scenario, Step
from klplint.patch.model import Patch


def render(patches: Sequence[Patch], scenarios: Sequence[Scenario], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps([scenario_json(s) for s in scenarios], indent=2) + "\n"
    if fmt == "text":
        return "\n".join(_text_block(patches, s) for s in scenarios)
    raise ValueError(f"unknown trace format {fmt!r}: text or json")


def scenario_json(scenario: Scenario) -> dict:
    """The shape klplint/analysis/README.md (Scenarios) documents, keys in that order."""
    return {
        "scenario": scenario.name,
        "calls": [{"patch": c.patch, "role": c.role, "function": c.function,
                   "object": c.obj, "state": c.state} for c in scenario.calls()],
        "outcome": scenario.outcome,
        # each load of a livepatch module: whether its module_init enables the patch or only
        # registers it (the enable is then the write of 1 to sysfs `enabled`), and how that went
        "module_init": [{"patch": st.module, "event": st.event,
                         "mode": (st.init or InitMode.ENABLES).value, "result": st.enable_result}
                        for st in scenario.steps if isinstance(st, ModuleCode) and st.kind == "lp_init"],
    }


_INIT_NOTE = {
    InitMode.ENABLES: "lp_init, enables the patch",
    InitMode.REGISTERS: "lp_init, registers the patch (enable through sysfs)",
    InitMode.REGISTERS_AND_ENABLES: "lp_init, registers and enables the patch (re-enable through sysfs)",
}


# ---------------------------------------------------------------- text

def _patch_name(patches: Sequence[Patch], event: str) -> str:
    parts = event.split(":")
    number = next((int(p) for p in parts[1:] if p.isdigit()), 1)
    if 1 <= number <= len(patches):
        return patches[number - 1].module_name
    return "?"


def _command(patches: Sequence[Patch], event: str) -> str:
    """The shell command of the selftests that stands for an event."""
    kind = event.split(":")[0]
    if kind == "enable":
        suffix = "   (transition stalls)" if "stalled" in event else ""
        return f"% modprobe {_patch_name(patches, event)}{suffix}"
    if kind in ("disable", "reenable"):
        value = "0" if kind == "disable" else "1"
        return f"% echo {value} > /sys/kernel/livepatch/{_patch_name(patches, event)}/enabled"
    if kind == "load":
        return f"% modprobe {event.split(':', 1)[1]}"
    if kind == "unload":
        return f"% rmmod {event.split(':', 1)[1]}"
    return f"% {event}"


def _call_line(call: Call) -> Tuple[str, str]:
    # the shape of the selftests' callback_info(): "<patch>: <function>: <obj>"
    function = call.function or "<unresolved>"
    if call.mod_null:
        left = f"{call.patch}: {function}: {call.obj}"
    else:
        left = f"{call.patch}: {function}: {call.obj} -> [MODULE_STATE_{call.state}]"
    note = call.role
    if call.role in ("patch_hook", "unpatch_hook"):
        note += f" #{call.hook_index}"
    if call.must == "ok":
        note += ", returns 0"
    elif call.must == "fail":
        note += ", returns an error"
    return left, note


def _step_lines(step: Step) -> List[Tuple[str, str]]:
    if isinstance(step, Call):
        return [_call_line(step)]
    if isinstance(step, CoreNote):
        return [(f"livepatch: {step.text}", "")]
    if step.kind == "lp_init":
        return _init_lines(step)
    if step.kind == "target_init":
        lines = [(f"{step.module}: module_init", step.kind)]
    elif step.if_registered and step.init is InitMode.REGISTERS:
        lines = [(f"{step.module}: module_exit", f"{step.kind}, the failed write left the module loaded")]
    elif step.if_registered:
        # the failed enable was a write to sysfs `enabled`: the module is still loaded
        lines = [(f"{step.module}: module_exit", f"{step.kind}, only if module_init just registered the patch")]
    else:
        lines = [(f"{step.module}: module_exit", step.kind)]
    return lines


def _init_lines(step: ModuleCode) -> List[Tuple[str, str]]:
    mode = step.init or InitMode.ENABLES
    lines = [(f"{step.module}: module_init", _INIT_NOTE[mode])]
    if mode is InitMode.REGISTERS:
        # module_init returns 0 at once; the core's enable is the administrator's write
        lines += [(f"{step.module}: klp_register_patch() returns 0, module_init returns 0", ""),
                  (f"% echo 1 > /sys/kernel/livepatch/{step.module}/enabled", "")]
    for inner in step.enable_calls:
        lines.extend(_step_lines(inner))
    if mode is InitMode.REGISTERS:
        if step.enable_result == "ok":
            lines.append((f"{step.module}: the write to enabled returns 0", ""))
        else:
            lines.append((f"{step.module}: the write to enabled fails with {step.enable_result}, "
                          "the module stays loaded, its patch registered and disabled", ""))
    elif step.enable_result == "ok":
        lines.append((f"{step.module}: klp_enable_patch() returns 0", ""))
    else:
        lines.append((f"{step.module}: klp_enable_patch() returns {step.enable_result}, "
                      f"module_init fails, the module is not loaded", ""))
    return lines


def _text_block(patches: Sequence[Patch], scenario: Scenario) -> str:
    rows: List[Tuple[str, str]] = []     # (text, annotation)
    previous: Optional[str] = None
    for step in scenario.steps:
        lp_exit = isinstance(step, ModuleCode) and step.kind == "lp_exit"
        if step.event != previous or lp_exit:
            rows.append((f"% rmmod {step.module}" if isinstance(step, ModuleCode) and lp_exit
                         else _command(patches, step.event), ""))
            previous = step.event
        # a command inside a step (the sysfs write that enables a registered patch) is not indented
        rows.extend((text if text.startswith("% ") else f"  {text}", note) for text, note in _step_lines(step))
    # the column of annotations: long lines without one (an error's explanation) do not push it
    width = max((len(text) for text, note in rows if note), default=0) + 2
    out = [f"scenario: {scenario.name}"]
    for text, note in rows:
        out.append(f"{text.ljust(width)}[{note}]" if note else text)
    out.append(f"outcome: {scenario.outcome}")
    return "\n".join(out) + "\n"
