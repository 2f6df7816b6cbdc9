"""Struct definitions in C text and whether a diff changes one's members (its layout)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Tuple

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_STRUCT = re.compile(r"\b(struct|union)\s+([A-Za-z_]\w*)\s*\{")


@dataclass(frozen=True)
class Record:
    kind: str                  # struct | union
    name: str
    line: int                  # line of `struct name {`
    members: Tuple[str, ...]   # the member declarations, whitespace-normalised, in order


def _blank_comments(text: str) -> str:
    """Comments replaced by spaces, newlines kept, so offsets still give line numbers."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def records(text: str) -> Dict[str, Record]:
    """Every top-level `struct name { ... };` definition of the text, by name."""
    clean = _blank_comments(text)
    out: Dict[str, Record] = {}
    for m in _STRUCT.finditer(clean):
        line_start = clean.rfind("\n", 0, m.start()) + 1
        if clean[line_start:m.start()].strip().startswith(("#", "return", "=")) or clean[line_start] in " \t":
            continue        # a nested or indented use, a macro line
        depth, i = 1, m.end()
        while i < len(clean) and depth:
            depth += {"{": 1, "}": -1}.get(clean[i], 0)
            i += 1
        rest = clean[i:i + 200].lstrip()
        if not rest.startswith((";", "__", "__attribute__", "__randomize_layout", "__aligned")):
            continue        # `struct x { ... } var = ...` or a function returning a struct
        body = clean[m.end():i - 1]
        members = tuple(" ".join(p.split()) for p in _split_members(body) if p.strip())
        out.setdefault(m.group(2), Record(m.group(1), m.group(2), clean.count("\n", 0, m.start()) + 1, members))
    return out


def _split_members(body: str) -> List[str]:
    parts, cur, depth = [], "", 0
    for ch in body:
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        if ch == ";" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def changed_records(pre: str, post: str) -> List[Tuple[Record, Record]]:
    """(post, pre) of the structs defined in both texts whose members differ."""
    a, b = records(pre), records(post)
    return [(b[n], a[n]) for n in b if n in a and a[n].members != b[n].members]
