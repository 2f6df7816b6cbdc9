"""The scenarios of the kernel's test-callbacks.sh (C1-C11 of klplint/analysis/README.md) as trace events, and the callback sequences that script expects."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Tuple

from klplint.oracle.scenario import FailKnob, Scenario, build_scenario

LP = "test_klp_callbacks_demo"
LP2 = "test_klp_callbacks_demo2"
MOD = "test_klp_callbacks_mod"
BUSY = "test_klp_callbacks_busy"

# Every callback of the demo modules, by function name.
CALLBACK_FUNCTIONS = {
    "pre_patch_callback": "pre_patch",
    "post_patch_callback": "post_patch",
    "pre_unpatch_callback": "pre_unpatch",
    "post_unpatch_callback": "post_unpatch",
}
FAIL_KNOBS = {LP: {"pre_patch": FailKnob("pre_patch_ret", "-19")}}


@dataclass(frozen=True)
class SelftestCase:
    row: str                   # the C row (klplint/analysis/README.md)
    title: str                 # start_test "..." in test-callbacks.sh
    patches: Tuple[str, ...]   # livepatch modules, in file order
    events: str
    params: Tuple[Tuple[str, str], ...] = ()

    def scenario(self) -> Scenario:
        return build_scenario(self.events, self.patches, dict(self.params), FAIL_KNOBS, name=self.row)

    @property
    def modules(self) -> Tuple[str, ...]:
        mods = list(self.patches)
        for ev in self.events.split(","):
            if ev.startswith("load:") and ev[5:] not in mods:
                mods.append(ev[5:])
        return tuple(mods)


CASES: Tuple[SelftestCase, ...] = (
    SelftestCase("C1", "target module before livepatch", (LP,),
                 f"load:{MOD},enable,disable,unload:{MOD}"),
    SelftestCase("C2", "module_coming notifier", (LP,),
                 f"enable,load:{MOD},disable,unload:{MOD}"),
    SelftestCase("C3", "module_going notifier", (LP,),
                 f"load:{MOD},enable,unload:{MOD},disable"),
    SelftestCase("C4", "module_coming and module_going notifiers", (LP,),
                 f"enable,load:{MOD},unload:{MOD},disable"),
    SelftestCase("C5", "target module not present", (LP,), "enable,disable"),
    SelftestCase("C6", "pre-patch callback -ENODEV", (LP,),
                 f"load:{MOD},fail:pre_patch:vmlinux,enable,unload:{MOD}"),
    SelftestCase("C7", "module_coming + pre-patch callback -ENODEV", (LP,),
                 f"enable,fail:pre_patch:{MOD},load:{MOD},disable"),
    SelftestCase("C8", "multiple target modules", (LP,),
                 f"load:{BUSY},enable,load:{MOD},unload:{MOD},disable,unload:{BUSY}",
                 ((BUSY, "block_transition=N"),)),
    SelftestCase("C9", "busy target module", (LP,),
                 f"load:{BUSY},enable:stalled,load:{MOD},unload:{MOD},disable,unload:{BUSY}",
                 ((BUSY, "block_transition=Y"),)),
    SelftestCase("C10", "multiple livepatches", (LP, LP2),
                 "enable:1,enable:2,disable:2,disable:1"),
    SelftestCase("C11", "atomic replace", (LP, LP2),
                 "enable:1,enable:2,disable:2", ((LP2, "replace=1"),)),
)


def case(row: str) -> SelftestCase:
    for c in CASES:
        if c.row == row:
            return c
    raise KeyError(row)


_CB_RE = re.compile(r"^(?P<patch>\S+): (?P<fn>(?:pre|post)_(?:un)?patch_callback): "
                    r"(?:vmlinux|(?P<obj>\S+) -> \[MODULE_STATE_(?P<state>[A-Z]+)\].*)$")


def expected_sequences(script_text: str) -> Dict[str, List[Dict]]:
    """title -> the callbacks test-callbacks.sh expects, from its check_result blocks, as calls
    in the shape of `klplint trace --format json`."""
    variables = dict(re.findall(r"^(\w+)=(\S+)$", script_text, flags=re.M))

    def subst(text: str) -> str:
        text = re.sub(r"\$\{(\w+)\}", lambda m: variables.get(m.group(1), m.group(0)), text)
        return re.sub(r"\$(\w+)", lambda m: variables.get(m.group(1), m.group(0)), text)

    out: Dict[str, List[Dict]] = {}
    for block in re.split(r'^start_test ', script_text, flags=re.M)[1:]:
        title = re.match(r'"([^"]*)"', block).group(1)
        m = re.search(r'check_result "(.*?)"\s*$', block, flags=re.S | re.M)
        if not m:
            continue
        calls = []
        for line in subst(m.group(1)).splitlines():
            cm = _CB_RE.match(line.strip())
            if cm:
                fn = cm.group("fn")
                calls.append({"patch": cm.group("patch"), "role": CALLBACK_FUNCTIONS[fn], "function": fn,
                              "object": cm.group("obj") or "vmlinux", "state": cm.group("state")})
        out[title] = calls
    return out
