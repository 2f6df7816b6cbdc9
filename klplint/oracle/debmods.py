"""Find the kernel's own modules (shipped by linux-image-<release>) to serve as target modules, with their dependencies, soft dependencies and aliases."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple


@dataclass(frozen=True)
class ShippedModule:
    name: str
    ko: str
    depends: Tuple[str, ...]     # module names, to be loaded first, in load order


@dataclass
class ShippedSet:
    """Modules to put into the image: .ko paths, load-order dependencies, and the aliases the
    image's request_module() helper resolves (exact names only)."""
    kos: Dict[str, str] = field(default_factory=dict)
    depends: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    aliases: List[Tuple[str, str]] = field(default_factory=list)


def _name(path: str) -> str:
    base = os.path.basename(path)
    for ext in (".ko.xz", ".ko.zst", ".ko.gz", ".ko"):
        if base.endswith(ext):
            base = base[: -len(ext)]
            break
    return base.replace("-", "_")


def _base(release: str, root: str) -> str:
    return os.path.join(root, release)


def modules_dep(release: str, root: str = "/lib/modules") -> Dict[str, Tuple[str, List[str]]]:
    """name -> (path of the .ko, paths of its dependencies as modules.dep lists them)."""
    base = _base(release, root)
    out: Dict[str, Tuple[str, List[str]]] = {}
    try:
        with open(os.path.join(base, "modules.dep")) as f:
            for line in f:
                if ":" not in line:
                    continue
                mod, _, deps = line.partition(":")
                out[_name(mod.strip())] = (os.path.join(base, mod.strip()),
                                           [os.path.join(base, d) for d in deps.split()])
    except OSError:
        pass
    return out


def _aliases(release: str, root: str) -> Dict[str, List[str]]:
    """Exact (pattern-free) alias -> module names, from modules.alias."""
    out: Dict[str, List[str]] = {}
    try:
        with open(os.path.join(_base(release, root), "modules.alias")) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "alias" and not any(c in parts[1] for c in "*?["):
                    out.setdefault(parts[1], []).append(parts[2].replace("-", "_"))
    except OSError:
        pass
    return out


def _softdeps(release: str, root: str) -> Dict[str, List[str]]:
    """module -> names or aliases it wants loaded around it (pre: and post:)."""
    out: Dict[str, List[str]] = {}
    try:
        with open(os.path.join(_base(release, root), "modules.softdep")) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[0] == "softdep":
                    out.setdefault(parts[1].replace("-", "_"), []).extend(
                        p for p in parts[2:] if p not in ("pre:", "post:"))
    except OSError:
        pass
    return out


def find_shipped(name: str, release: str, root: str = "/lib/modules") -> Optional[ShippedModule]:
    """The kernel's module NAME with its dependencies (uncompressed .ko only), or None."""
    table = modules_dep(release, root)
    entry = table.get(name.replace("-", "_"))
    if entry is None:
        return None
    path, deps = entry
    if not path.endswith(".ko") or not os.path.isfile(path):
        return None
    # modules.dep lists the dependencies deepest last; load them deepest first.
    return ShippedModule(name.replace("-", "_"), path, tuple(_name(d) for d in reversed(deps)))


def shipped_set(names: Iterable[str], release: str, root: str = "/lib/modules") -> ShippedSet:
    """The named modules, everything they depend on, what their soft dependencies name (by
    module name or alias), and the aliases of all of them."""
    table = modules_dep(release, root)
    aliases = _aliases(release, root)
    soft = _softdeps(release, root)
    out = ShippedSet()
    todo = [n.replace("-", "_") for n in names]
    while todo:
        n = todo.pop(0)
        if n in out.kos or n not in table:
            continue
        path, deps = table[n]
        if not path.endswith(".ko") or not os.path.isfile(path):
            continue
        out.kos[n] = path
        out.depends[n] = tuple(_name(d) for d in reversed(deps))
        todo.extend(out.depends[n])
        for s in soft.get(n, ()):
            todo.extend(aliases.get(s, [s.replace("-", "_")]))
    for alias, mods in aliases.items():
        for m in mods:
            if m in out.kos:
                out.aliases.append((alias, m))
    return out


def modprobe_script(insmod: str) -> str:
    """/sbin/modprobe for the image: the kernel's request_module() runs it as `modprobe -q --
    NAME`; it loads NAME (a module in /modules or an alias from /modules/aliases) and its
    dependencies from /modules/deps."""
    return f"""#!/bin/sh
# klplint oracle: request_module() helper for the modules in this image
name=
for a in "$@"; do case "$a" in -*) ;; *) name=$a ;; esac; done
[ -n "$name" ] || exit 1
cands=$(grep "^$name " /modules/aliases 2>/dev/null | cut -d' ' -f2)
[ -n "$cands" ] || cands=$(echo "$name" | tr - _)
for m in $cands; do
  {{ true < /sys/module/$m/initstate; }} 2>/dev/null && exit 0
  {{ true < /modules/$m.ko; }} 2>/dev/null || continue
  for d in $(grep "^$m:" /modules/deps 2>/dev/null | cut -d: -f2); do
    {{ true < /sys/module/$d/initstate; }} 2>/dev/null || {insmod} /modules/$d.ko >/dev/null 2>&1
  done
  {insmod} /modules/$m.ko >/dev/null 2>&1 && exit 0
done
exit 1
"""
