"""Reading kbuild Makefiles: logical lines (continuations joined, comments dropped) and the list
assignments kbuild evaluates (`obj-y += a.o`, `foo-$(CONFIG_X) := b.o`, `ccflags-y += -I...`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

# target-y, target-m, target-objs, target-$(CONFIG_X), with += := =
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.-]+?)-(y|m|objs|\$\((CONFIG_[A-Za-z0-9_]+)\))\s*[+:]?=\s*(.*)$")
# CFLAGS_foo.o += ...
_FILE_FLAGS = re.compile(r"^\s*CFLAGS_([A-Za-z0-9_.-]+\.o)\s*[+:]?=\s*(.*)$")


@dataclass(frozen=True)
class Assignment:
    target: str               # obj, lib, ccflags, foo (a composite object) ...
    how: str                  # 'y' | 'm' | 'objs' | CONFIG_X
    words: Tuple[str, ...]
    line: str


def logical_lines(text: str) -> List[str]:
    out, cur = [], ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if line.endswith("\\"):
            cur += line[:-1] + " "
            continue
        out.append(cur + line)
        cur = ""
    if cur:
        out.append(cur)
    return out


def assignments(text: str) -> List[Assignment]:
    out = []
    for line in logical_lines(text):
        m = _ASSIGN.match(line)
        if m:
            out.append(Assignment(m.group(1), m.group(3) or m.group(2), tuple(m.group(4).split()), line.strip()))
    return out


def file_flags(text: str) -> Dict[str, List[str]]:
    """CFLAGS_<object> words by object name."""
    out: Dict[str, List[str]] = {}
    for line in logical_lines(text):
        m = _FILE_FLAGS.match(line)
        if m:
            out.setdefault(m.group(1), []).extend(m.group(2).split())
    return out


def enabled(how: str, config: Dict[str, str]) -> Optional[str]:
    """'y', 'm' or None: what an assignment's suffix means under .config."""
    if how in ("y", "m"):
        return how
    if how == "objs":
        return "y"
    v = config.get(how)
    return v if v in ("y", "m") else None
