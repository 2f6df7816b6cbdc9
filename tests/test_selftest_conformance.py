"""`klplint trace` on the kernel's own callback test modules predicts exactly the callback sequences the
kernel's selftest (tools/testing/selftests/livepatch/test-callbacks.sh) expects, scenario by scenario.

The script is read at test time from Debian's linux-source-6.1 (never copied here): each start_test
block's commands become klplint trace events, and its check_result text gives the expected callbacks."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from klplint.analysis import lifecycle
from klplint.report import trace
from klplint.config.settings import Config
from klplint.patch.extract import extract
from klplint.frontend import parse

pytestmark = pytest.mark.kernel

_CALLBACK = re.compile(r"^(\S+): (pre_patch|post_patch|pre_unpatch|post_unpatch)_callback: (\S+)"
                       r"(?: -> \[MODULE_STATE_(\w+)\])?")


def _blocks(script: str):
    """(title, commands, expected text) for every start_test ... check_result "..." block."""
    out = []
    for m in re.finditer(r'start_test "([^"]+)"\n(.*?)check_result "(.*?)"\n', script, re.S):
        cmds = [l.strip() for l in m.group(2).splitlines()
                if l.strip() and not l.strip().startswith("#") and not l.strip().startswith(("loop_until", "die"))]
        out.append((m.group(1), cmds, m.group(3)))
    return out


def _variables(script: str):
    return dict(re.findall(r"^(MOD_\w+)=(\S+)$", script, re.M))


def _expand(text: str, env):
    for k, v in sorted(env.items(), key=lambda kv: -len(kv[0])):
        text = text.replace("${" + k + "}", v).replace("$" + k, v)
    return text


def _events(cmds, env, patches):
    """Shell steps of the selftest -> klplint trace events."""
    events, stalled, index = [], False, {}
    for c in cmds:
        words = _expand(c, env).split()
        op, name, args = words[0], words[1], words[2:]
        several = len(patches) > 1
        n = lambda: f":{index.setdefault(name, len(index) + 1)}" if several else ""   # noqa: E731
        if op == "load_mod":
            if "block_transition=Y" in args:
                stalled = True
            events.append(f"load:{name}")
        elif op == "load_lp":
            events.append(f"enable{n()}" + (":stalled" if stalled else ""))
        elif op == "load_lp_nowait":
            events.append(f"enable{n()}:stalled")
        elif op == "load_failing_mod":
            if any(a.startswith("pre_patch_ret=") for a in args):
                events += ["fail:pre_patch:vmlinux", f"enable{n()}"]
            else:
                events.append(f"load:{name}")
        elif op == "set_pre_patch_ret":
            pending = next(_expand(x, env).split()[1] for x in cmds[cmds.index(c) + 1:] if "load_failing_mod" in x)
            events.append(f"fail:pre_patch:{pending}")
        elif op == "disable_lp":
            events.append(f"disable{n()}")
        elif op == "unload_mod":
            events.append(f"unload:{name}")
        elif op == "unload_lp":
            pass        # the model removes a disabled livepatch module at the end of the scenario
        else:
            raise AssertionError(f"selftest step klplint does not translate: {c}")
    return events


def _expected_calls(text, env):
    out = []
    for line in _expand(text, env).splitlines():
        m = _CALLBACK.match(line)
        if m:
            out.append((m.group(1), m.group(2), m.group(3), m.group(4)))
    return out


def _load_patch(path, replace=False):
    module = extract(parse(str(path), Config()), Config())
    p = module.patches[0]
    return dataclasses.replace(p, replace=True) if replace else p


def test_trace_matches_test_callbacks_sh(kernel_source):
    script = (kernel_source / "tools/testing/selftests/livepatch/test-callbacks.sh").read_text()
    env = _variables(script)
    lib = kernel_source / "lib" / "livepatch"
    blocks = _blocks(script)
    assert len(blocks) >= 10, [b[0] for b in blocks]
    compared = 0
    for title, cmds, expected_text in blocks:
        names = []
        for c in cmds:
            w = _expand(c, env).split()
            if w[0] in ("load_lp", "load_lp_nowait") or (w[0] == "load_failing_mod" and
                                                          any(a.startswith("pre_patch_ret") for a in w[2:])):
                if w[1] not in names:
                    names.append(w[1])
        replace = any("replace=1" in c for c in cmds)
        patches = [_load_patch(lib / f"{n}.c", replace=(replace and i > 0)) for i, n in enumerate(names)]
        events = _events(cmds, env, patches)
        scenario = lifecycle.replay(patches, events)
        doc = json.loads(trace.render(patches, [scenario], "json"))
        predicted = [(c["patch"], c["role"], c["object"], c["state"]) for c in doc[0]["calls"]]
        expected = _expected_calls(expected_text, env)
        assert expected, f"{title}: no callback line found in check_result"
        assert predicted == expected, (f"{title}: events {','.join(events)}\n"
                                       f"predicted {predicted}\nexpected  {expected}")
        compared += 1
    assert compared == len(blocks)
