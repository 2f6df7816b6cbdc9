"""Which object a file of the tree is linked into — vmlinux or a module — read from the Makefiles of
its folder and its parents and the tree's .config, as kbuild decides it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional, Tuple

from klplint.kpatch import makefile
from klplint.kpatch.tree import KernelTree


class ObjectError(Exception):
    """A file the configuration does not build, or whose object the Makefiles do not say."""


@dataclass(frozen=True)
class Placement:
    module: Optional[str]     # None: vmlinux
    reason: str               # the Makefile line that decides it

    @property
    def label(self) -> str:
        return self.module or "vmlinux"


def _entries(text: str) -> List[Tuple[str, str, List[str], str]]:
    """(target, how: 'y'|'m'|'objs'|CONFIG_X, words, the line) for every kbuild list assignment."""
    return [(a.target, a.how, list(a.words), a.line) for a in makefile.assignments(text)]


def _value(tree: KernelTree, how: str) -> Optional[str]:
    return makefile.enabled(how, tree.config)


def _makefile(tree: KernelTree, folder: str) -> Optional[str]:
    for name in ("Kbuild", "Makefile"):
        text = tree.read(os.path.join(folder, name) if folder else name)
        if text is not None:
            return text
    return None


def place(tree: KernelTree, rel: str) -> Placement:
    """vmlinux or the module `rel` (a .c file relative to the tree) is built into under the tree's .config."""
    folder, base = os.path.split(rel)
    obj = os.path.splitext(base)[0] + ".o"
    text = _makefile(tree, folder)
    if text is None:
        raise ObjectError(f"{rel}: no Makefile in {folder or '.'} says how it is built")
    entries = _entries(text)
    if _folder_state(tree, folder) is None:
        raise ObjectError(f"{rel}: not built in this configuration (the Makefile line that enters "
                          f"{folder}/ is disabled by .config)")
    # a composite object first: `foo-y += bar.o` makes bar.o part of foo.o
    for target, how, words, line in entries:
        if target in ("obj", "lib", "ccflags", "subdir-ccflags", "asflags", "ldflags", "extra", "always",
                      "hostprogs", "targets", "subdir", "userprogs", "CFLAGS_" + obj):
            continue
        if obj in words and _value(tree, how) in ("y", "m") and target + ".o" != obj:
            outer = _top(tree, folder, target + ".o", entries)
            if outer is not None:
                return Placement(outer[0], f"{line}; {outer[1]}")
    top = _top(tree, folder, obj, entries)
    if top is None:
        raise ObjectError(f"{rel}: not built in this configuration (no obj-y/obj-m line of "
                          f"{folder or '.'}/Makefile enabled by .config lists {obj})")
    return Placement(*top)


def _top(tree: KernelTree, folder: str, obj: str, entries) -> Optional[Tuple[Optional[str], str]]:
    """(module name or None, reason) for an obj-* entry naming `obj`, None when none is enabled."""
    for target, how, words, line in entries:
        if target not in ("obj", "lib") or obj not in words:
            continue
        v = _value(tree, how)
        if v == "y":
            if _folder_is_module(tree, folder):
                return os.path.splitext(obj)[0], f"{line} (in a folder built as modules)"
            return None, line
        if v == "m":
            return os.path.splitext(obj)[0], line
    return None


def _folder_is_module(tree: KernelTree, folder: str) -> bool:
    """A folder entered through `obj-m += dir/` builds its obj-y entries into modules too."""
    return _folder_state(tree, folder) == "m"


def _folder_state(tree: KernelTree, folder: str) -> Optional[str]:
    """How the parent Makefiles enter `folder`: 'y', 'm', or None when the line that lists it is
    disabled by .config. A folder no parent Makefile lists (top-level folders, which the top
    Makefile enters with core-y and friends, or a parent the tree does not have) counts as 'y'."""
    if not folder:
        return "y"
    parent, name = os.path.split(folder)
    text = _makefile(tree, parent)
    listed = [(how, line) for target, how, words, line in (_entries(text) if text else ())
              if target in ("obj", "subdir") and name + "/" in words]
    if not listed:
        return _folder_state(tree, parent) if text is not None else "y"
    states = {_value(tree, how) for how, _ in listed}
    if "y" in states:
        return _folder_state(tree, parent)
    if "m" in states:
        return "m" if _folder_state(tree, parent) is not None else None
    return None
