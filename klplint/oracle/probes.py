"""kprobe events on every hook and callback function of a patch, fetching obj->name, obj->mod and obj->mod->state."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from klplint.config.settings import Config
from klplint.frontend import parse
from klplint.oracle.elf import KoInfo
from klplint.oracle.kbuild import module_name
from klplint.oracle.offsets import Offsets
from klplint.patch.extract import extract

GROUP = "klporacle"
HOOK_ROLES = ("patch_hook", "unpatch_hook")
CALLBACK_ROLES = ("pre_patch", "post_patch", "pre_unpatch", "post_unpatch")
ROLES = HOOK_ROLES + CALLBACK_ROLES


@dataclass(frozen=True)
class Probe:
    """A function of livepatch module `patch` that the core calls with a struct klp_object *.

    roles: the roles the source gives it (a function may serve several; () = unknown).
    compat: the function is a hook of a module built with klp_hooks_compat.h, so its argument is
    a struct klp_compat_object."""
    patch: str
    function: str
    roles: Tuple[str, ...] = ()
    compat: bool = False


def event_name(index: int) -> str:
    return f"f{index}"


def kprobe_definition(index: int, probe: Probe, offs: Offsets) -> str:
    """One line for /sys/kernel/tracing/kprobe_events. x86_64: the first argument is in %di.

    MOD:SYM is accepted before the module is loaded; the probe arms when it comes."""
    name_off = offs.compat_object_name if probe.compat else offs.klp_object_name
    mod_off = offs.compat_object_mod if probe.compat else offs.klp_object_mod
    state_type = {1: "s8", 2: "s16", 4: "s32", 8: "s64"}[offs.module_state_size]
    return (f"p:{GROUP}/{event_name(index)} {probe.patch}:{probe.function} "
            f"objname=+0(+{name_off}(%di)):string "
            f"mod=+{mod_off}(%di):x64 "
            f"state=+{offs.module_state}(+{mod_off}(%di)):{state_type} "
            f"modname=+{offs.module_name}(+{mod_off}(%di)):string")


def check_symbols(probes: Sequence[Probe], kos: Dict[str, "KoInfo"]) -> List[str]:
    """Problems: probes on functions the built module does not define (inlined away, renamed),
    and probed functions that share their address with another probed function."""
    problems = []
    probed = {(p.patch, p.function) for p in probes}
    for p in probes:
        ko = kos.get(p.patch)
        funcs = set(ko.functions) if ko else set()
        if not funcs:
            problems.append(f"{p.patch}: module was not built")
        elif p.function not in funcs:
            near = sorted(f for f in funcs if f.startswith(p.function + "."))
            hint = f" (the compiler emitted {', '.join(near)})" if near else ""
            problems.append(f"{p.patch}: no function {p.function} in the built module{hint}")
        elif ko is not None:
            same = [a for a in ko.aliases(p.function) if (p.patch, a) in probed]
            if same:
                problems.append(f"{p.patch}: {p.function} and {', '.join(same)} are one function "
                                "(the compiler merged them): their calls cannot be told apart")
    return problems


def dedupe(probes: Iterable[Probe]) -> List[Probe]:
    """One probe per (patch, function); roles merged."""
    merged: Dict[Tuple[str, str], Probe] = {}
    for p in probes:
        key = (p.patch, p.function)
        if key in merged:
            old = merged[key]
            roles = tuple(dict.fromkeys(old.roles + p.roles))
            merged[key] = Probe(p.patch, p.function, roles, old.compat or p.compat)
        else:
            merged[key] = p
    return list(merged.values())


def probes_from_roles(patch: str, roles: Dict[str, str], compat: bool = False) -> List[Probe]:
    """{function: role} -> probes (for lists passed in by hand)."""
    out: Dict[str, List[str]] = {}
    for fn, role in roles.items():
        out.setdefault(fn, []).append(role)
    return [Probe(patch, fn, tuple(rs), compat and any(r in HOOK_ROLES for r in rs)) for fn, rs in out.items()]


CALLBACK_TEST_ROLES = {
    "pre_patch_callback": "pre_patch",
    "post_patch_callback": "post_patch",
    "pre_unpatch_callback": "pre_unpatch",
    "post_unpatch_callback": "post_unpatch",
}


def probes_from_source(path: str, patch: Optional[str] = None, compat: bool = False) -> List[Probe]:
    """The hook and callback functions of a livepatch source, from klplint's own extraction,
    or (while extraction cannot read the file) from its designated initializers."""
    patch = patch or module_name(path)
    found = _from_extraction(path)
    if found is None:
        found = _from_initializers(path)
    out = []
    for fn, roles in found.items():
        is_hook = any(r in HOOK_ROLES for r in roles)
        out.append(Probe(patch, fn, tuple(roles), compat and is_hook))
    return out


def _from_extraction(path: str) -> Optional[Dict[str, List[str]]]:
    try:
        pm = extract(parse(path, Config()), Config())
    except Exception:  # noqa: BLE001 - any failure: fall back to reading initializers
        return None
    found: Dict[str, List[str]] = {}
    for patch in pm.patches:
        for obj in patch.objects:
            for role, ref in obj.role_functions():
                if ref.name:
                    roles = found.setdefault(ref.name, [])
                    if role not in roles:
                        roles.append(role)
    return found


def _from_initializers(path: str) -> Dict[str, List[str]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    found: Dict[str, List[str]] = {}
    for m in re.finditer(r"\.\s*(pre_patch|post_patch|pre_unpatch|post_unpatch)\s*=\s*&?\s*(\w+)", text):
        if m.group(2) != "NULL" and m.group(1) not in found.get(m.group(2), []):
            found.setdefault(m.group(2), []).append(m.group(1))
    # hooks: `.hook = fn` inside an array named in .patch_hooks / .unpatch_hooks
    arrays: Dict[str, str] = {}
    for m in re.finditer(r"\.\s*(patch_hooks|unpatch_hooks)\s*=\s*&?\s*(\w+)", text):
        arrays[m.group(2)] = "patch_hook" if m.group(1) == "patch_hooks" else "unpatch_hook"
    for var, role in arrays.items():
        m = re.search(r"struct\s+klp_hook\s+" + re.escape(var) + r"\s*\[[^\]]*\]\s*=\s*\{", text)
        if not m:
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i]
        for h in re.finditer(r"(?:\.\s*hook\s*=\s*&?\s*(\w+))|\{\s*&?\s*([A-Za-z_]\w*)\s*\}", body):
            fn = h.group(1) or h.group(2)
            if fn and fn != "NULL":
                roles = found.setdefault(fn, [])
                if role not in roles:
                    roles.append(role)
    return found
