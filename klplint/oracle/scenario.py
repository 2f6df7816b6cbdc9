"""Scenarios: the `klplint trace` events (klplint/analysis/README.md) turned into concrete steps the VM runs (insmod, echo, rmmod)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from klplint.oracle.parts import OracleError

_EVENT_RE = re.compile(
    r"(?P<kind>enable|disable|reenable)(?::(?P<n>\d+))?(?::(?P<st>stalled))?(?::(?P<n2>\d+))?$"
    r"|(?P<mkind>load|unload):(?P<mod>[^\s,:]+)$"
    r"|fail:(?P<role>[^\s,:]+):(?P<obj>[^\s,:]+)$")

STEP_KINDS = ("load", "unload", "enable", "disable", "reenable", "set_param")


class ScenarioUnsupported(OracleError):
    """An event the real kernel cannot be made to produce with the modules at hand."""


@dataclass(frozen=True)
class Step:
    """One action of the /init script.

    kind: load (insmod a target), unload (rmmod), enable (insmod a livepatch module and wait for
    its transition), disable (echo 0 > enabled and wait until the patch is gone), reenable
    (echo 1 > enabled), set_param (echo VALUE > /sys/module/MODULE/parameters/PARAM)."""
    kind: str
    module: str
    params: str = ""              # insmod parameters
    wait: str = "complete"        # enable: complete | stalled
    param: str = ""               # set_param
    value: str = ""
    event: Optional[str] = None   # the section-3 event this step realises; None: implicit step

    @property
    def label(self) -> str:
        if self.kind == "set_param":
            return f"echo {self.value} > /sys/module/{self.module}/parameters/{self.param}"
        if self.kind in ("load", "enable"):
            return f"insmod {self.module}.ko{' ' + self.params if self.params else ''}"
        if self.kind == "unload":
            return f"rmmod {self.module}"
        if self.kind == "disable":
            return f"echo 0 > /sys/kernel/livepatch/{self.module}/enabled"
        return f"echo 1 > /sys/kernel/livepatch/{self.module}/enabled"


@dataclass(frozen=True)
class FailKnob:
    """How to make a callback fail in a real module: a module parameter and the value to set."""
    param: str
    value: str = "-19"


@dataclass(frozen=True)
class Scenario:
    """A named sequence of events and the steps that realise it."""
    name: str
    events: Tuple[str, ...]
    steps: Tuple[Step, ...]
    patches: Tuple[str, ...]            # livepatch module names, in file order (enable:N)
    modules: Tuple[str, ...] = ()       # every module the scenario may load, in load order

    @property
    def event_text(self) -> str:
        return ",".join(self.events)


@dataclass(frozen=True)
class _Ev:
    text: str
    kind: str
    number: Optional[int] = None
    stalled: bool = False
    name: Optional[str] = None
    role: Optional[str] = None


def parse_event(text: str) -> _Ev:
    m = _EVENT_RE.match(text.strip())
    if not m:
        raise OracleError(f"unknown event {text!r}: expected enable[:N][:stalled], disable[:N], "
                          "reenable[:N], load:NAME, unload:NAME or fail:ROLE:OBJ")
    if m.group("kind"):
        n = m.group("n") or m.group("n2")
        return _Ev(text.strip(), m.group("kind"), int(n) if n else None, bool(m.group("st")))
    if m.group("mkind"):
        return _Ev(text.strip(), m.group("mkind"), name=m.group("mod"))
    return _Ev(text.strip(), "fail", name=m.group("obj"), role=m.group("role"))


def split_events(text: str) -> Tuple[str, ...]:
    events = tuple(e.strip() for e in text.split(",") if e.strip())
    if not events:
        raise OracleError("no events given")
    for e in events:
        parse_event(e)
    return events


def build_scenario(events: Sequence[str] | str, patches: Sequence[str],
                   params: Optional[Mapping[str, str]] = None,
                   fail_knobs: Optional[Mapping[str, Mapping[str, FailKnob]]] = None,
                   name: Optional[str] = None) -> Scenario:
    """Steps for a sequence of section-3 events.

    patches: the livepatch module names in the order of the files (enable:N counts from 1).
    params: insmod parameters per module (e.g. {'test_klp_callbacks_busy': 'block_transition=Y'}).
    fail_knobs: per livepatch module, per role, the parameter that makes that role fail (the
    kernel's test modules have pre_patch_ret). A knob fails the role for every object of the
    patch from then on; the section-3 event names one object, which is the same thing as long
    as the scenario runs no other object's callback of that role afterwards."""
    if isinstance(events, str):
        events = split_events(events)
    params = dict(params or {})
    fail_knobs = fail_knobs or {}
    if not patches:
        raise OracleError("a scenario needs at least one livepatch module")
    steps: List[Step] = []
    loaded: List[str] = []               # modules the scenario has loaded so far
    extra: Dict[str, List[str]] = {}     # parameters for a livepatch module not loaded yet
    order: List[str] = []

    def patch_of(ev: _Ev) -> str:
        if ev.number is None:
            if len(patches) > 1:
                raise OracleError(f"event {ev.text!r}: with several patches name one: {ev.kind}:N")
            return patches[0]
        if not 1 <= ev.number <= len(patches):
            raise OracleError(f"event {ev.text!r}: there are {len(patches)} patches (1..{len(patches)})")
        return patches[ev.number - 1]

    for text in events:
        ev = parse_event(text)
        if ev.kind == "enable":
            mod = patch_of(ev)
            p = " ".join(x for x in [params.get(mod, "")] + extra.pop(mod, []) if x)
            steps.append(Step("enable", mod, params=p, wait="stalled" if ev.stalled else "complete",
                              event=ev.text))
            loaded.append(mod)
        elif ev.kind == "disable":
            steps.append(Step("disable", patch_of(ev), event=ev.text))
        elif ev.kind == "reenable":
            steps.append(Step("reenable", patch_of(ev), event=ev.text))
        elif ev.kind == "load":
            steps.append(Step("load", ev.name, params=params.get(ev.name, ""), event=ev.text))
            loaded.append(ev.name)
        elif ev.kind == "unload":
            steps.append(Step("unload", ev.name, event=ev.text))
        else:
            knobs = [(mod, fail_knobs.get(mod, {}).get(ev.role)) for mod in patches]
            knobs = [(mod, k) for mod, k in knobs if k is not None]
            if not knobs:
                raise ScenarioUnsupported(
                    f"event {ev.text!r}: no module parameter is known that makes {ev.role} fail "
                    f"(give a fail knob, e.g. pre_patch -> pre_patch_ret)")
            for mod, knob in knobs:
                if mod in loaded:
                    steps.append(Step("set_param", mod, param=knob.param, value=knob.value,
                                      event=ev.text))
                else:
                    extra.setdefault(mod, []).append(f"{knob.param}={knob.value}")
        for m in loaded:
            if m not in order:
                order.append(m)
    return Scenario(name=name or ",".join(events), events=tuple(events), steps=tuple(steps),
                    patches=tuple(patches), modules=tuple(order))


def knob_caveat(events: Sequence[str], objects: Sequence[str]) -> Optional[str]:
    """Why a fail knob would not realise a fail:ROLE:OBJ event faithfully, or None.

    A knob (a module parameter the callbacks return) fails ROLE for every object, the event for
    OBJ alone: after it, no other object may run ROLE. objects: the target modules the patch
    names (vmlinux, always an object, runs first at enable)."""
    if isinstance(events, str):
        events = split_events(events)
    failing: List[Tuple[str, str]] = []
    for text in events:
        ev = parse_event(text)
        if ev.kind == "fail":
            failing.append((ev.role or "", ev.name or ""))
            continue
        for role, obj in failing:
            if ev.kind in ("enable", "reenable") and obj != "vmlinux":
                return (f"{text} after fail:{role}:{obj}: the knob would fail {role} of vmlinux too, "
                        f"which runs first")
            if ev.kind == "load" and ev.name != obj and ev.name in objects:
                return f"{text} after fail:{role}:{obj}: the knob would fail {role} of {ev.name} too"
    return None
