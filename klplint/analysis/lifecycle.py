"""The livepatch core as a state machine: which hook/callback runs when, with which obj->mod."""
# The model and its labels (H1-H10, C1-C11) are described in klplint/analysis/README.md. Ground
# truth for the callbacks API is the 6.1 core (kernel/livepatch/core.c, transition.c); the
# comments name the function modelled.
#
# Events (the `klplint trace --scenario` vocabulary, plus one extension):
#   enable[:N][:stalled]   the livepatch module N is loaded; its module_init calls klp_enable_patch
#   disable[:N]            echo 0 > .../enabled (reverses a stalled transition)
#   reenable[:N]           echo 1 > .../enabled, while the patch stays registered: hooks era, and
#                          callbacks-API modules whose module_init calls klp_register_patch (4.15-5.0)
#   load:NAME, unload:NAME a target module comes or goes
#   fail:ROLE:OBJ          from now on ROLE of object OBJ fails. ROLE is pre_patch, patch_hook,
#                          unpatch_hook (hook returns are only logged), or the extension `patch`:
#                          klp_patch_object() of OBJ fails after its pre_patch/patch hooks ran (H9).
#                          It applies to every patch that has object OBJ.
# Error values are labels: a failing pre_patch is written -ENODEV (the selftests' -19),
# a failing klp_patch_object -EINVAL; the real value is whatever the code returns.
# Choices where the tables of the README are silent: a stalled transition only ends by disable, whose reversal
# completes; enabling while another transition runs fails in module_init with -EBUSY; a disabled or
# replaced patch's module is removed (lp_exit) at the end, newest first; in the hooks era a patch
# stays registered after disable, patches are stacked (4.x rules), and a .replace patch replaces
# older ones as in 6.1 without running their unpatch hooks. A callbacks-API patch registered with
# klp_register_patch (InitMode, initmode.py) follows the 4.15-5.0 core: it stays registered after
# disable, can be re-enabled (pre_patch, patching, post_patch again) and is stacked.
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import List, Optional, Sequence, Set, Tuple, Union

from klplint.analysis.initmode import InitMode
from klplint.patch.model import Patch

ERR_PRE_PATCH = "-ENODEV"
ERR_PATCH = "-EINVAL"
ERR_BUSY = "-EBUSY"
ERR_INVALID = "-EINVAL"

FAIL_ROLES = ("pre_patch", "patch_hook", "unpatch_hook", "patch")
VOID_ROLES = ("post_patch", "pre_unpatch", "post_unpatch")


@dataclass(frozen=True)
class Call:
    """The core calls a hook or callback."""
    patch_index: int
    patch: str
    role: str
    function: Optional[str]
    obj_index: int
    obj: str
    state: Optional[str]
    mod_null: bool
    event: str
    must: Optional[str] = None
    hook_index: int = 0


@dataclass(frozen=True)
class ModuleCode:
    """Code of a module the kernel runs: a livepatch module's init/exit or a target module's."""
    kind: str
    module: str
    patch_index: Optional[int]
    event: str
    enable_calls: Tuple["Step", ...] = ()
    enable_result: str = "ok"
    # lp_exit after a failed enable: the module is still loaded only if its module_init merely
    # registered the patch (the failing enable was a write to sysfs `enabled`, not module_init's)
    if_registered: bool = False
    # lp_init, and lp_exit if_registered: what module_init does with the patch (enables it, or
    # only registers it and the enable is a write to sysfs `enabled`); None on the other steps
    init: Optional[InitMode] = None


class CoreAct(Enum):
    """What a core note records, for the code that replays a scenario (objects.py): the notes whose
    effect on the core's state later calls can see. Every other note is only trace text (OTHER)."""
    OTHER = "other"
    OBJECT_PATCHED = "object_patched"        # klp_patch_object() of `obj` succeeded
    OBJECT_UNPATCHED = "object_unpatched"    # klp_unpatch_object() of `obj`
    PATCHING_COMPLETE = "patching_complete"  # klp_complete_transition() to KLP_PATCHED
    REPLACED = "replaced"                    # a cumulative patch took this one's place: all unpatched


@dataclass(frozen=True)
class CoreNote:
    """What the core does in between, for paths and trace text; `act`, `patch` and `obj` say it as
    data (the text is for people and may be reworded freely)."""
    text: str
    event: str
    act: CoreAct = CoreAct.OTHER
    patch: Optional[str] = None   # module name of the livepatch the act concerns
    obj: Optional[str] = None     # label of the klp_object, for OBJECT_PATCHED/UNPATCHED


Step = Union[Call, ModuleCode, CoreNote]


@dataclass(frozen=True)
class Scenario:
    events: Tuple[str, ...]
    steps: Tuple[Step, ...]
    outcome: str

    @property
    def name(self) -> str:
        return ",".join(self.events)

    def calls(self) -> Tuple[Call, ...]:
        out: List[Call] = []
        for step in self.steps:
            if isinstance(step, Call):
                out.append(step)
            elif isinstance(step, ModuleCode):
                out.extend(s for s in step.enable_calls if isinstance(s, Call))
        return tuple(out)


class ScenarioError(ValueError):
    """A malformed event or a sequence the kernel cannot produce."""


# ---------------------------------------------------------------- events

_NAME = r"[^\s,:]+"
_EVENT_RE = re.compile(
    r"(?P<kind>enable|disable|reenable)(?::(?P<n>\d+))?(?::(?P<st>stalled))?(?::(?P<n2>\d+))?$"
    rf"|(?P<mkind>load|unload):(?P<mod>{_NAME})$"
    rf"|fail:(?P<role>{_NAME}):(?P<obj>{_NAME})$")


@dataclass(frozen=True)
class _Event:
    text: str
    kind: str                      # enable | disable | reenable | load | unload | fail
    number: Optional[int] = None   # 1-based file index, as written
    stalled: bool = False
    name: Optional[str] = None     # module name (load/unload) or object label (fail)
    role: Optional[str] = None


def _parse_one(text: str) -> _Event:
    m = _EVENT_RE.match(text)
    if not m:
        raise ScenarioError(f"unknown event {text!r}: expected enable[:N][:stalled], disable[:N], "
                            "reenable[:N], load:NAME, unload:NAME or fail:ROLE:OBJ")
    if m.group("kind"):
        kind = m.group("kind")
        if m.group("n") and m.group("n2"):
            raise ScenarioError(f"event {text!r} names two patches")
        n = m.group("n") or m.group("n2")
        if m.group("st") and kind != "enable":
            raise ScenarioError(f"event {text!r}: only enable can be stalled")
        if n is not None and int(n) < 1:
            raise ScenarioError(f"event {text!r}: patches are numbered from 1")
        return _Event(text, kind, int(n) if n else None, bool(m.group("st")))
    if m.group("mkind"):
        if m.group("mod") == "vmlinux":
            raise ScenarioError(f"event {text!r}: vmlinux is not a module")
        return _Event(text, m.group("mkind"), name=m.group("mod"))
    role = m.group("role")
    if role in VOID_ROLES:
        raise ScenarioError(f"event {text!r}: {role} returns void, it cannot fail")
    if role not in FAIL_ROLES:
        raise ScenarioError(f"event {text!r}: ROLE must be one of {', '.join(FAIL_ROLES)}")
    return _Event(text, "fail", name=m.group("obj"), role=role)


def parse_events(text: str) -> Tuple[str, ...]:
    """'load:m, enable,disable' -> ('load:m', 'enable', 'disable'), each event checked."""
    events = tuple(part.strip() for part in text.split(","))
    if events == ("",):
        raise ScenarioError("no events given")
    for ev in events:
        if not ev:
            raise ScenarioError(f"empty event in {text!r}")
        _parse_one(ev)
    return events


# ---------------------------------------------------------------- the core

def _registration_error(patch: Patch) -> Optional[str]:
    """klp_enable_patch()/klp_init_*() reject these before any callback runs (the hooks API section
    of klplint/analysis/README.md)."""
    if patch.mod is None or patch.objs is None:
        return ERR_INVALID
    for obj in patch.objects:
        if obj.funcs is None:
            return ERR_INVALID
        for func in obj.funcs.walked:
            if func.old_name is None or func.new_func is None:
                return ERR_INVALID
    return None


class _Core:
    """One run of a scenario. Patch status: absent (module not loaded), enabled (also while its
    transition stalls), disabled (module still loaded), replaced (by a .replace patch)."""

    def __init__(self, patches: Sequence[Patch], modes: Optional[Sequence[InitMode]] = None):
        self.patches = list(patches)
        if not self.patches:
            raise ScenarioError("no patch to run the scenario on")
        _check_kernel(self.patches, modes)
        self.api = self.patches[0].api
        self.modes = _modes(self.patches, modes)
        self.status = ["absent"] * len(self.patches)
        self.order: List[int] = []        # klp_patches, in list order
        self.lp_loaded: List[int] = []    # livepatch modules in the order they were loaded
        self.patched = [[False] * len(p.objects) for p in self.patches]
        self.post_unpatch_ok = [[False] * len(p.objects) for p in self.patches]
        self.loaded: List[str] = []       # target modules, LIVE
        self.transition: Optional[int] = None   # patch whose (patching) transition stalls
        self.failing: Set[Tuple[str, str]] = set()
        self.steps: List[Step] = []
        self.outcomes: List[str] = []
        self.enable_failed: List[int] = []   # livepatch modules whose enable failed, in order
        self.event = ""

    # ------------------------------------------------ helpers

    def _name(self, i: int) -> str:
        return self.patches[i].module_name

    def _stays(self, i: int) -> bool:
        """Before 5.1 (hooks era, or klp_register_patch) a disabled patch stays registered."""
        return self.api == "hooks" or self.modes[i].stays_registered

    def _stacked(self) -> bool:
        # the 4.x core's stacking (klp_enable_patch/__klp_disable_patch before 5.1): a patch enables
        # only on top of an enabled one, and only the topmost enabled patch disables. All patches
        # of a scenario are of one kernel (_check_kernel), so patch 0 tells.
        return self._stays(0)

    def _note(self, out: List[Step], text: str, act: CoreAct = CoreAct.OTHER, i: Optional[int] = None,
              obj: Optional[str] = None) -> None:
        out.append(CoreNote(text, self.event, act, None if i is None else self._name(i), obj))

    def _is_loaded(self, obj) -> bool:
        # klp_is_object_loaded(): vmlinux always, a module once it is LIVE
        return obj.name is None or obj.name in self.loaded

    def _call(self, out, i, k, role, ref, state, must=None, hook_index=0) -> None:
        obj = self.patches[i].objects[k]
        out.append(Call(i, self._name(i), role, ref.name, k, obj.label,
                        None if obj.name is None else state, obj.name is None,
                        self.event, must, hook_index))

    def _callback(self, out, i, k, role, state) -> None:
        obj = self.patches[i].objects[k]
        ref = obj.callbacks.get(role) if obj.callbacks is not None else None
        if ref is not None:           # klp_*_callback() skip a missing callback
            self._call(out, i, k, role, ref, state)

    def _pre_patch(self, out, i, k, state) -> bool:
        # klp_pre_patch_callback(): a missing pre_patch is a success; the result gates post_unpatch
        obj = self.patches[i].objects[k]
        ref = obj.callbacks.pre_patch if obj.callbacks is not None else None
        fails = ref is not None and ("pre_patch", obj.label) in self.failing
        if ref is not None:
            self._call(out, i, k, "pre_patch", ref, state, must="fail" if fails else "ok")
        self.post_unpatch_ok[i][k] = not fails
        if fails:
            self._note(out, f"pre-patch callback failed for object '{obj.label}'")
        return not fails

    def _post_unpatch(self, out, i, k, state) -> None:
        # klp_post_unpatch_callback(): only if pre_patch succeeded; the flag is then cleared
        if self.post_unpatch_ok[i][k]:
            self._callback(out, i, k, "post_unpatch", state)
        self.post_unpatch_ok[i][k] = False

    def _hooks(self, out, i, k, role, state) -> None:
        # hooks era: every hook of the array runs, in order; a non-zero return is only logged
        obj = self.patches[i].objects[k]
        for n, hook in enumerate(obj.hooks(role)):
            if hook.func is None:
                break
            self._call(out, i, k, role, hook.func, state, hook_index=n)
            if (role, obj.label) in self.failing:
                self._note(out, f"{role} of '{obj.label}' returned an error: only a warning")

    def _patch_object(self, out, i, k) -> bool:
        # klp_patch_object(): fails only where the scenario says so (fail:patch:OBJ)
        label = self.patches[i].objects[k].label
        if ("patch", label) in self.failing:
            self._note(out, f"'{self._name(i)}': patching object '{label}' fails: {ERR_PATCH}")
            return False
        self.patched[i][k] = True
        self._note(out, f"'{self._name(i)}': object '{label}' patched", CoreAct.OBJECT_PATCHED, i, label)
        return True

    def _unpatch_object(self, out, i, k) -> None:
        if self.patched[i][k]:
            self.patched[i][k] = False
            label = self.patches[i].objects[k].label
            self._note(out, f"'{self._name(i)}': object '{label}' unpatched", CoreAct.OBJECT_UNPATCHED, i, label)

    def _module_object(self, i: int, module: str) -> Optional[int]:
        # klp_module_coming()/klp_cleanup_module_patches_limited() stop at the first object named so
        for k, obj in enumerate(self.patches[i].objects):
            if obj.name == module:
                return k
        return None

    def _patch_index(self, ev: _Event) -> int:
        if ev.number is None:
            if len(self.patches) > 1:
                raise ScenarioError(f"event {ev.text!r}: with several patches, name one: "
                                    f"{ev.kind}:N (1..{len(self.patches)})")
            return 0
        if ev.number > len(self.patches):
            raise ScenarioError(f"event {ev.text!r}: there are only {len(self.patches)} patches")
        return ev.number - 1

    def _forget(self, i: int) -> None:
        """The patch's structures are freed (failed load): a new load starts from zero."""
        n = len(self.patches[i].objects)
        self.patched[i] = [False] * n
        self.post_unpatch_ok[i] = [False] * n
        if i in self.order:
            self.order.remove(i)

    # ------------------------------------------------ transitions

    def _patch_all(self, i: int, out: List[Step], stalled: bool) -> Optional[str]:
        """__klp_enable_patch(): returns None, or the error after klp_cancel_transition()."""
        self._note(out, f"'{self._name(i)}': initializing patching transition")
        for k, obj in enumerate(self.patches[i].objects):
            if not self._is_loaded(obj):
                continue
            if self.api == "callbacks":
                if not self._pre_patch(out, i, k, "LIVE"):
                    self._cancel(i, out)
                    return ERR_PRE_PATCH
            else:
                self._hooks(out, i, k, "patch_hook", "LIVE")
            if not self._patch_object(out, i, k):
                if self.api == "hooks":
                    # H9: the failing object's unpatch hooks run, then earlier objects unpatch
                    self._hooks(out, i, k, "unpatch_hook", "LIVE")
                self._cancel(i, out)
                return ERR_PATCH
        self._note(out, f"'{self._name(i)}': starting patching transition")
        self.transition = i
        if stalled:
            self._note(out, f"'{self._name(i)}': transition stalls (a task sleeps in patched code)")
        else:
            self._complete(i, out, "patched")
        return None

    def _cancel(self, i: int, out: List[Step]) -> None:
        # __klp_enable_patch() error path: klp_cancel_transition() completes to UNPATCHED
        self._note(out, f"failed to enable patch '{self._name(i)}'")
        self._note(out, f"'{self._name(i)}': canceling patching transition, going to unpatch")
        self._complete(i, out, "unpatched")

    def _complete(self, i: int, out: List[Step], target: str) -> None:
        """klp_complete_transition()."""
        self._note(out, f"'{self._name(i)}': completing {target[:-2]}ing transition")
        objects = self.patches[i].objects
        if target == "patched":
            if self.patches[i].replace:
                self._replace_older(i, out)
            if self.api == "callbacks":
                for k, obj in enumerate(objects):
                    if self._is_loaded(obj):
                        self._callback(out, i, k, "post_patch", "LIVE")
            # hooks era: nothing runs when patching completes (H1)
        elif self.api == "callbacks":
            for k in range(len(objects)):                   # klp_unpatch_objects()
                self._unpatch_object(out, i, k)
            for k, obj in enumerate(objects):
                if self._is_loaded(obj):
                    self._post_unpatch(out, i, k, "LIVE")
        else:
            for k in range(len(objects)):                   # H6: unpatch, then its unpatch hooks
                if self.patched[i][k]:
                    self._unpatch_object(out, i, k)
                    self._hooks(out, i, k, "unpatch_hook", "LIVE")
        self.transition = None
        self._note(out, f"'{self._name(i)}': {target[:-2]}ing complete",
                   CoreAct.PATCHING_COMPLETE if target == "patched" else CoreAct.OTHER, i)

    def _replace_older(self, i: int, out: List[Step]) -> None:
        # klp_unpatch_replaced_patches(): older patches are unpatched without any callback (C11).
        # Hooks era (no atomic replace existed): modelled the same way, no unpatch hook runs.
        for j in list(self.order):
            if j == i:
                break
            for k in range(len(self.patches[j].objects)):
                self.patched[j][k] = False
            self.status[j] = "replaced"
            self.order.remove(j)
            self._note(out, f"'{self._name(j)}': replaced by '{self._name(i)}', "
                            "unpatched without running its callbacks", CoreAct.REPLACED, j)

    # ------------------------------------------------ events

    def run(self, events: Sequence[str]) -> Scenario:
        parsed = [_parse_one(e.strip()) for e in events]
        for ev in parsed:
            self.event = ev.text
            getattr(self, "_ev_" + ev.kind)(ev)
        # a disabled or replaced patch's livepatch module is removed at the end, newest first
        self.event = "rmmod"
        for i in reversed(self.lp_loaded):
            if self.status[i] in ("disabled", "replaced"):
                self.steps.append(ModuleCode("lp_exit", self._name(i), i, "rmmod"))
        # a module_init that only registers (klp_register_patch) leaves enabling to sysfs: a
        # failing enable is then a failed write, the module stays loaded and is removed at the end
        for i in reversed(self.enable_failed):
            if self.status[i] == "absent":
                self.steps.append(ModuleCode("lp_exit", self._name(i), i, "rmmod", if_registered=True,
                                             init=self.modes[i]))
        return Scenario(tuple(ev.text for ev in parsed), tuple(self.steps),
                        "; ".join(self.outcomes) or "ok")

    def _ev_enable(self, ev: _Event) -> None:
        i = self._patch_index(ev)
        if self.status[i] == "enabled":
            raise ScenarioError(f"event {ev.text!r}: patch {i + 1} is already enabled")
        if self.status[i] != "absent":
            if not self._stays(i):
                raise ScenarioError(f"event {ev.text!r}: patch {i + 1} is {self.status[i]} and its "
                                    "module still loaded; a disabled patch cannot be re-enabled "
                                    "since 5.1")
            raise ScenarioError(f"event {ev.text!r}: patch {i + 1} is {self.status[i]} but still "
                                "registered; use reenable")
        inner: List[Step] = []
        err = _registration_error(self.patches[i])
        if err:
            self._note(inner, f"'{self._name(i)}': klp_enable_patch() rejects the patch "
                              "(missing objs, funcs, old_name or new_func)")
        elif self.transition is not None:
            # __klp_enable_patch(): one transition at a time
            err = ERR_BUSY
            self._note(inner, f"'{self._name(i)}': refused, '{self._name(self.transition)}' "
                              "is in transition")
        elif self._stacked() and self.order and self.status[self.order[-1]] != "enabled":
            # pre-5.1 stacking: only the first disabled patch can be enabled
            err = ERR_BUSY
            self._note(inner, f"'{self._name(i)}': refused, stacked on disabled "
                              f"'{self._name(self.order[-1])}'")
        else:
            self._note(inner, f"enabling patch '{self._name(i)}'")
            self.order.append(i)
            err = self._patch_all(i, inner, ev.stalled)
        if err:
            self._forget(i)
            self.outcomes.append(f"{ev.text} failed: {err}")
            if i not in self.enable_failed and not _registration_error(self.patches[i]):
                self.enable_failed.append(i)      # a patch register rejects never stays registered
        else:
            self.status[i] = "enabled"
            self.lp_loaded.append(i)
            if i in self.enable_failed:
                self.enable_failed.remove(i)
        self.steps.append(ModuleCode("lp_init", self._name(i), i, ev.text, tuple(inner),
                                     err or "ok", init=self.modes[i]))

    def _ev_disable(self, ev: _Event) -> None:
        i = self._patch_index(ev)
        if self.status[i] != "enabled":
            raise ScenarioError(f"event {ev.text!r}: patch {i + 1} is not enabled "
                                f"({self.status[i]})")
        out = self.steps
        if self.transition == i:
            # enabled_store() -> klp_reverse_transition(): no pre_unpatch; the reversal completes
            self._note(out, f"'{self._name(i)}': reversing transition from patching to unpatching")
            self._complete(i, out, "unpatched")
        else:
            if self.transition is not None:
                raise ScenarioError(f"event {ev.text!r}: -EBUSY, patch "
                                    f"{self.transition + 1} is in transition")
            if self._stacked():
                later = self.order[self.order.index(i) + 1:]
                if any(self.status[j] == "enabled" for j in later):
                    raise ScenarioError(f"event {ev.text!r}: -EBUSY, pre-5.1 patches are "
                                        "stacked: disable the later patch first")
            # __klp_disable_patch(): pre_unpatch for every patched object, then the transition
            self._note(out, f"'{self._name(i)}': initializing unpatching transition")
            if self.api == "callbacks":
                for k in range(len(self.patches[i].objects)):
                    if self.patched[i][k]:
                        self._callback(out, i, k, "pre_unpatch", "LIVE")
            self._note(out, f"'{self._name(i)}': starting unpatching transition")
            self._complete(i, out, "unpatched")
        self.status[i] = "disabled"
        if not self._stays(i):
            self.order.remove(i)     # klp_free_patch_async(): off klp_patches
        # before 5.1 the patch stays registered (H4, H7, H8; C14) until module_exit unregisters it

    def _ev_reenable(self, ev: _Event) -> None:
        i = self._patch_index(ev)
        if not self._stays(i):
            raise ScenarioError(f"event {ev.text!r}: a disabled patch cannot be re-enabled "
                                "since 5.1 (module_init calls klp_enable_patch() and no "
                                "klp_register_patch(): the core frees the patch on disable)")
        if self.status[i] != "disabled":
            raise ScenarioError(f"event {ev.text!r}: patch {i + 1} is {self.status[i]}, "
                                "not disabled")
        if self.transition is not None:
            raise ScenarioError(f"event {ev.text!r}: -EBUSY, patch {self.transition + 1} "
                                "is in transition")
        pos = self.order.index(i)
        if pos > 0 and self.status[self.order[pos - 1]] != "enabled":
            raise ScenarioError(f"event {ev.text!r}: -EBUSY, pre-5.1 patches are stacked: "
                                "enable the earlier patch first")
        self._note(self.steps, f"enabling patch '{self._name(i)}'")
        # H7, C14: as H1/H2 (C1: pre_patch, patching, post_patch) again
        err = self._patch_all(i, self.steps, stalled=False)
        if err:
            self.outcomes.append(f"{ev.text} failed: {err}")
        else:
            self.status[i] = "enabled"

    def _ev_load(self, ev: _Event) -> None:
        module = ev.name
        if module in self.loaded:
            raise ScenarioError(f"event {ev.text!r}: module {module} is already loaded")
        out = self.steps
        # klp_module_coming(): each patch on klp_patches, in order, while the module is COMING
        for i in list(self.order):
            k = self._module_object(i, module)
            if k is None or self.status[i] != "enabled":
                continue      # hooks era: a registered but disabled patch runs nothing (H4)
            self._note(out, f"applying patch '{self._name(i)}' to loading module '{module}'")
            err = None
            if self.api == "callbacks":
                if not self._pre_patch(out, i, k, "COMING"):
                    err = ERR_PRE_PATCH
                elif not self._patch_object(out, i, k):
                    self._post_unpatch(out, i, k, "COMING")
                    err = ERR_PATCH
                elif self.transition != i:
                    self._callback(out, i, k, "post_patch", "COMING")
            else:
                self._hooks(out, i, k, "patch_hook", "COMING")        # H3
                if not self._patch_object(out, i, k):
                    self._hooks(out, i, k, "unpatch_hook", "COMING")  # H9
                    err = ERR_PATCH
            if err:
                self._refuse(i, module, err)
                return
        out.append(ModuleCode("target_init", module, None, ev.text))
        self.loaded.append(module)

    def _refuse(self, i: int, module: str, err: str) -> None:
        # klp_module_coming() error path: obj->mod = NULL, earlier patches let go of the module
        # (klp_cleanup_module_patches_limited(mod, patch)), the loader refuses it: no module_init
        out = self.steps
        self._note(out, f"patch '{self._name(i)}' failed for module '{module}', "
                        f"refusing to load module '{module}'")
        for j in self.order:
            if j == i:
                break
            if self.status[j] == "enabled":
                self._going(j, module, "COMING")
        self.outcomes.append(f"load of {module} refused: {err}")

    def _ev_unload(self, ev: _Event) -> None:
        module = ev.name
        if module not in self.loaded:
            raise ScenarioError(f"event {ev.text!r}: module {module} is not loaded")
        # the module's exit runs first (state GOING), then klp_module_going()
        self.steps.append(ModuleCode("target_exit", module, None, ev.text))
        self.loaded.remove(module)
        for i in list(self.order):
            if self.status[i] == "enabled":
                self._going(i, module, "GOING")      # hooks era, disabled patch: nothing (H8)

    def _going(self, i: int, module: str, state: str) -> None:
        """klp_cleanup_module_patches_limited() for one patch."""
        k = self._module_object(i, module)
        if k is None:
            return
        out = self.steps
        if self.api == "callbacks":
            if self.transition != i:       # skipped while this patch is in transition (C9)
                self._callback(out, i, k, "pre_unpatch", state)
            self._note(out, f"reverting patch '{self._name(i)}' on unloading module '{module}'")
            self._unpatch_object(out, i, k)
            self._post_unpatch(out, i, k, state)
        elif self.patched[i][k]:           # H5: unpatch, then the unpatch hooks
            self._unpatch_object(out, i, k)
            self._hooks(out, i, k, "unpatch_hook", state)
        self._note(out, f"'{self._name(i)}': obj->mod of '{module}' is NULL again")

    def _ev_fail(self, ev: _Event) -> None:
        role, label = ev.role, ev.name
        if role == "pre_patch" and self.api == "hooks":
            raise ScenarioError(f"event {ev.text!r}: pre_patch is a callbacks-API role; "
                                "these patches use hooks")
        if role in ("patch_hook", "unpatch_hook") and self.api == "callbacks":
            raise ScenarioError(f"event {ev.text!r}: {role} is a hooks-API role; "
                                "these patches use callbacks")
        objects = [o for p in self.patches for o in p.objects if o.label == label]
        if not objects:
            raise ScenarioError(f"event {ev.text!r}: no patch has an object {label}")
        if role == "pre_patch" and not any(o.callbacks and o.callbacks.pre_patch for o in objects):
            raise ScenarioError(f"event {ev.text!r}: object {label} has no pre_patch callback "
                                "(a missing pre_patch cannot fail)")
        if role in ("patch_hook", "unpatch_hook") and not any(o.hooks(role) for o in objects):
            raise ScenarioError(f"event {ev.text!r}: object {label} has no {role}")
        self.failing.add((role, label))
        what = f"patching object '{label}'" if role == "patch" else f"{role} of '{label}'"
        self._note(self.steps, f"from now on {what} fails")


def replay(patches: Sequence[Patch], events: Sequence[str],
           modes: Optional[Sequence[InitMode]] = None) -> Scenario:
    """Run one sequence of events through the core model; `modes` says, per patch, what its
    module_init does (initmode.init_mode of each; ENABLES when not given)."""
    return _Core(patches, modes).run(events)


def _modes(patches: Sequence[Patch], modes: Optional[Sequence[InitMode]]) -> List[InitMode]:
    if modes is None:
        return [InitMode.ENABLES] * len(patches)
    if len(modes) != len(patches):
        raise ScenarioError(f"{len(modes)} module_init modes for {len(patches)} patches")
    return list(modes)


def _check_kernel(patches: Sequence[Patch], modes: Optional[Sequence[InitMode]]) -> None:
    """The patches of one scenario run on one kernel: one API generation, and for the callbacks
    API either all before 5.1 (klp_register_patch) or all since (klp_enable_patch alone)."""
    if len({p.api for p in patches}) > 1:
        raise ScenarioError("patches of both API generations (hooks and callbacks) "
                            "cannot run on one kernel")
    if patches[0].api == "callbacks" and len({m.stays_registered for m in _modes(patches, modes)}) > 1:
        raise ScenarioError("patches registered with klp_register_patch() (before 5.1) and patches "
                            "only enabled with klp_enable_patch() (5.1 on) cannot run on one kernel")


# ---------------------------------------------------------------- enumeration

def _module_names(patches: Sequence[Patch]) -> List[str]:
    names: List[str] = []
    for p in patches:
        for obj in p.objects:
            if obj.name is not None and obj.name != "vmlinux" and obj.name not in names:
                names.append(obj.name)
    return names


def _single_patch_events(p: Patch, i: int, several: bool, mode: InitMode) -> List[List[str]]:
    n = f":{i + 1}" if several else ""
    en, dis, re_, stall = "enable" + n, "disable" + n, "reenable" + n, f"enable{n}:stalled"
    hooks = p.api == "hooks"
    # the patch stays registered after a disable (hooks era; klp_register_patch before 5.1): the
    # administrator can enable it again through sysfs, and its hooks or callbacks run again
    stays = hooks or mode.stays_registered
    mods = _module_names([p])
    out = [[en, dis]]
    if stays:
        out.append([en, dis, re_, dis])
    # several module objects: each alone, then all together, never the full product
    groups = [[m] for m in mods] + ([mods] if len(mods) > 1 else [])
    for g in groups:
        B, U = [f"load:{m}" for m in g], [f"unload:{m}" for m in g]
        out += [B + [en, dis],                  # loaded before the patch
                [en] + B + [dis],               # loaded after: COMING
                B + [en] + U + [dis],           # unloaded while enabled, loaded before
                [en] + B + U + [dis],           # unloaded while enabled, loaded after
                B + [en, dis] + U,              # disabled while loaded, then unloaded
                [en] + B + U + B + [dis]]       # reloaded while enabled: a second COMING
        if stays:
            out += [B + [en, dis, re_, dis],    # H7 (C14) with the module LIVE
                    [en, dis] + B + [re_, dis]]  # H4, then H7 (C14: COMING ran nothing, LIVE then)
    # the fallible step: pre_patch (callbacks) or the patching after the hooks ran (hooks, H9)
    role = "patch" if hooks else "pre_patch"
    all_loads = [f"load:{m}" for m in mods]
    # klp_enable_patch() itself can fail (patching an object fails: ftrace, memory) with no hook
    # or callback to blame: module_init's error path, and what it set up before, must be covered
    fallible = [o for o in p.objects if o.name != "vmlinux" and (
        (hooks and bool(o.hooks("patch_hook") or o.hooks("unpatch_hook"))) or
        (not hooks and o.callbacks is not None and o.callbacks.pre_patch is not None))]
    first = next((o for o in p.objects if o.name != "vmlinux"), None)
    if first is not None and not fallible:
        out.append(all_loads + [f"fail:patch:{first.label}", en])
    for obj in p.objects:
        if obj.name == "vmlinux":
            continue
        if hooks:
            can_fail = bool(obj.hooks("patch_hook") or obj.hooks("unpatch_hook"))
        else:
            can_fail = obj.callbacks is not None and obj.callbacks.pre_patch is not None
        if not can_fail:
            continue
        out.append(all_loads + [f"fail:{role}:{obj.label}", en])
        if obj.name is not None:
            out.append([en, f"fail:{role}:{obj.name}", f"load:{obj.name}", dis])
        if stays and not hooks:
            # the re-enable's pre_patch fails: its error path after a first enable/disable cycle
            out.append(all_loads + [en, dis, f"fail:{role}:{obj.label}", re_])
    # a stalled transition reversed by disable
    out.append([stall, dis])
    for g in groups:
        B, U = [f"load:{m}" for m in g], [f"unload:{m}" for m in g]
        out += [B + [stall, dis], [stall] + B + [dis], [stall] + B + U + [dis]]
    return out


def _several_patch_events(patches: Sequence[Patch], stays: bool) -> List[List[str]]:
    count = len(patches)
    mods = _module_names(patches)
    B, U = [f"load:{m}" for m in mods], [f"unload:{m}" for m in mods]
    # after a .replace patch is enabled, the patches before it are gone: only later ones disable
    last_replace = max([j for j, p in enumerate(patches) if p.replace and j > 0], default=0)
    ens = [f"enable:{j}" for j in range(1, count + 1)]
    dis_rev = [f"disable:{j}" for j in range(count, last_replace, -1)]
    out = [ens + dis_rev]                          # stacked, disabled in reverse (C10)
    if mods:
        out += [B + ens + dis_rev, ens + B + U + dis_rev]
    if not stays and last_replace == 0:
        out.append(ens + [f"disable:{j}" for j in range(1, count + 1)])   # no stacking since 5.1
    for j, p in enumerate(patches):
        if j > 0 and p.replace:                   # atomic replace (C11)
            pre = [f"enable:{x}" for x in range(1, j + 2)]
            out.append(pre + [f"disable:{j + 1}"])
            if mods:
                out.append(B + pre + [f"disable:{j + 1}"])
    return out


def enumerate_scenarios(patches: Sequence[Patch], max_scenarios: int = 64,
                        modes: Optional[Sequence[InitMode]] = None) -> List[Scenario]:
    """The scenarios a single-file analysis must cover: deterministic, shortest first, bounded.
    `modes` as for replay()."""
    patches = list(patches)
    if not patches:
        return []
    _check_kernel(patches, modes)
    modes = _modes(patches, modes)
    several = len(patches) > 1
    candidates: List[List[str]] = []
    for i, p in enumerate(patches):
        candidates += _single_patch_events(p, i, several, modes[i])
    if several:
        candidates += _several_patch_events(patches, patches[0].api == "hooks" or modes[0].stays_registered)
    unique: List[Tuple[str, ...]] = []
    for events in candidates:
        if tuple(events) not in unique:
            unique.append(tuple(events))
    unique.sort(key=len)                          # stable: generation order among equals
    scenarios: List[Scenario] = []
    for events in unique:
        if len(scenarios) >= max_scenarios:
            break
        try:
            scenarios.append(replay(patches, events, modes))
        except ScenarioError:
            continue          # e.g. a replaced patch named by a later event: not a real sequence
    return scenarios
