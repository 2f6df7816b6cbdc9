"""Inline suppressions (the NOLINT / noqa habit) and KLP119 for the ones that suppress nothing.

Forms, inside any C comment (`/* ... */` or `// ...`; text in string literals does not count):

    /* klplint: ignore[KLP204] */            the finding's line, or the line before it
    // klplint: ignore[KLP204, KLP205]       several rules
    // klplint: ignore                       every rule on that line (and the next)
    /* klplint: ignore-file[KLP113] */       the whole file, written anywhere in it
    /* klplint: ignore-file */               every rule in the whole file

A line suppression covers the line it is written on and the line after the comment ends, so it
works both at the end of the offending line and on a line of its own just above it.

Each rule id of a suppression that matches no finding is reported as KLP119 (unused-suppression),
at the comment, so stale suppressions do not pile up and hide the next regression. Ids of rules
that are not enabled in this run (--select/--ignore, per-file-ignores) are not reported, nor is a
suppression that lists KLP119 itself (`ignore[KLP204, KLP119]`), nor anything in a file with
`ignore-file[KLP119]`. A bare `ignore` is only reported when every rule is enabled. An id that is
no rule at all (`ignore[KLP999]`, `ignore[KLP20]`) is always reported.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Set, Tuple

from klplint.findings import Finding
from klplint.ir import Location
from klplint.rules.registry import get

RULE_ID = "KLP119"

_DIRECTIVE = re.compile(r"klplint\s*:\s*(ignore-file|ignore)(?![-\w])(\s*\[)?")
_ID = re.compile(r"KLP\d{3}\Z")


@dataclass(frozen=True)
class Comment:
    text: str
    line: int          # line of the comment's first character
    col: int           # 1-based byte column of the comment's first character (as clang counts)
    end_line: int      # line of its last character


@dataclass
class Suppression:
    line: int
    col: int
    file_level: bool
    ids: Optional[Tuple[str, ...]]      # None: every rule
    first: int = 0                      # lines covered (line suppressions)
    last: int = 0
    used: Set[str] = field(default_factory=set)   # ids (or '*') that matched a finding
    problems: List[str] = field(default_factory=list)

    def covers(self, f: Finding) -> bool:
        if self.ids is not None and f.rule not in self.ids:
            return False
        return self.file_level or self.first <= f.loc.line <= self.last


def comments(text: str) -> List[Comment]:
    """Every comment of a C source, skipping string and character literals."""
    out: List[Comment] = []
    i, n, line, line_start = 0, len(text), 1, 0
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            line_start = i + 1
            i += 1
        elif c in "\"'":
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n:
                    if text[i + 1] == "\n":
                        line += 1
                        line_start = i + 2
                    i += 1
                i += 1
            i += 1
        elif text.startswith("//", i):
            j = i
            while True:
                k = text.find("\n", j)
                if k < 0:
                    k = n
                    break
                if text[k - 1] == "\\":      # a line continuation extends a // comment
                    j = k + 1
                    continue
                break
            body = text[i:k]
            out.append(Comment(body, line, _bytes(text[line_start:i]) + 1, line + body.count("\n")))
            line += body.count("\n")
            if "\n" in body:
                line_start = i + body.rfind("\n") + 1
            i = k
        elif text.startswith("/*", i):
            k = text.find("*/", i + 2)
            k = n if k < 0 else k + 2
            body = text[i:k]
            out.append(Comment(body, line, _bytes(text[line_start:i]) + 1, line + body.count("\n")))
            if "\n" in body:
                line += body.count("\n")
                line_start = i + body.rfind("\n") + 1
            i = k
        else:
            i += 1
    return out


def _bytes(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


def parse(text: str, known: Callable[[str], bool]) -> List[Suppression]:
    """The suppressions written in a source text. `known(id)` says whether an id names a rule."""
    out: List[Suppression] = []
    for c in comments(text):
        for m in _DIRECTIVE.finditer(c.text):
            before = c.text[:m.start()]
            line = c.line + before.count("\n")
            col = (c.col + _bytes(before)) if "\n" not in before else (_bytes(before[before.rfind("\n") + 1:]) + 1)
            file_level = m.group(1) == "ignore-file"
            ids: Optional[Tuple[str, ...]] = None
            problems: List[str] = []
            if m.group(2):
                close = c.text.find("]", m.end())
                if close < 0:
                    problems.append("malformed suppression: missing ']'")
                    ids = ()
                else:
                    wanted = [w.upper() for w in re.split(r"[\s,]+", c.text[m.end():close]) if w]
                    ids = tuple(w for w in wanted if _ID.match(w) and known(w))
                    for w in wanted:
                        if w not in ids:
                            problems.append(f"suppression names {w!r}, which is not a klplint rule")
                    if not wanted:
                        problems.append("empty suppression list '[]'")
            s = Suppression(line, col, file_level, ids, problems=problems)
            if not file_level:
                s.first, s.last = line, c.end_line + 1
            out.append(s)
    return out


def _same_file(a: str, b: str) -> bool:
    if a == b or os.path.normpath(a) == os.path.normpath(b):
        return True
    return os.path.abspath(a) == os.path.abspath(b)


def apply(findings: Iterable[Finding], path: str, text: str, active: Callable[[str], bool],
          all_active: bool) -> List[Finding]:
    """Drop the findings of `path` that a suppression covers; add a KLP119 finding for every
    suppression (or id of one) that covered nothing. `active(rule)` says whether a rule is enabled
    for this file in this run; `all_active` whether every rule is (for bare `ignore`)."""
    findings = list(findings)
    sups = parse(text, lambda rid: get(rid) is not None)
    if not sups:
        return findings
    kept: List[Finding] = []
    for f in findings:
        hits = [s for s in sups if _same_file(f.loc.file, path) and s.covers(f)]
        for s in hits:
            s.used.add(f.rule if s.ids is not None else "*")
        if not hits:
            kept.append(f)

    klp119_off = any(s.file_level and (s.ids is None or RULE_ID in s.ids) for s in sups)
    if klp119_off or not active(RULE_ID):
        return kept
    level = get(RULE_ID).level if get(RULE_ID) else "warning"
    form = {True: "ignore-file", False: "ignore"}
    for s in sups:
        loc = Location(path, s.line, s.col)
        for p in s.problems:
            kept.append(Finding(RULE_ID, level, p, loc))
        if s.ids is None:
            if not s.used and all_active:
                where = "in this file" if s.file_level else "on this line or the next"
                kept.append(Finding(RULE_ID, level, f"unused suppression: 'klplint: {form[s.file_level]}' "
                                                    f"suppresses no finding {where}", loc))
            continue
        if RULE_ID in s.ids:
            continue
        for rid in s.ids:
            if rid not in s.used and active(rid):
                where = "in this file" if s.file_level else "on this line or the next"
                kept.append(Finding(RULE_ID, level, f"unused suppression: no {rid} finding {where} "
                                                    f"(remove {rid} from this 'klplint: {form[s.file_level]}')",
                                    loc))
    return kept
