"""Mechanical fixes as text: the edit that terminates an array, applying a finding's edits to a
source, and the unified diff `klplint check --diff` prints."""
from __future__ import annotations

import difflib
from typing import Iterable, List, Optional, Sequence, Tuple

from klplint.findings import Edit, Finding
from klplint.location import Location
from dataclasses import replace

def offset(text: str, line: int, col: int) -> int:
    """A 1-based line and 1-based byte column -> an index into `text`; line past the end: its end."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return _offset(text, starts, line, col)


def _offset(text: str, starts: List[int], line: int, col: int) -> int:
    if line > len(starts) or line < 1:
        return len(text)
    start = starts[line - 1]
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    prefix = text[start:end].encode("utf-8")[:max(col - 1, 0)].decode("utf-8", errors="ignore")
    return start + len(prefix)


def _before(text: str, at: int) -> int:
    """The index of the last character before `at` that is not blank, inside a comment or on a
    preprocessor line (-1: none), scanning back: trailing blanks, a block comment ending there, a
    line comment on the last line, a directive line (`#endif` after an element that is compiled
    only sometimes: the comma goes after that element, so the array is right either way)."""
    head = text[:at]
    while True:
        stripped = head.rstrip()
        if stripped.endswith("*/") and stripped.rfind("/*", 0, len(stripped) - 2) >= 0:
            head = stripped[:stripped.rfind("/*", 0, len(stripped) - 2)]
            continue
        line_start = stripped.rfind("\n") + 1
        if stripped[line_start:].lstrip().startswith("#"):
            head = stripped[:line_start]
            continue
        comment = stripped.find("//", line_start)
        while comment >= 0 and stripped.count('"', line_start, comment) % 2:     # inside a string
            comment = stripped.find("//", comment + 2)
        if comment >= 0 and len(stripped) < len(head):     # `// ...` up to the end of a line
            head = stripped[:comment]
            continue
        return len(stripped) - 1


def _location(path: str, text: str, at: int) -> Location:
    line = text.count("\n", 0, at) + 1
    line_start = text.rfind("\n", 0, at) + 1
    return Location(path, line, len(text[line_start:at].encode("utf-8")) + 1)


def terminator_edits(path: str, source: str, line: int, col: int) -> Tuple[Edit, ...]:
    """The edits that end the array whose closing brace is at line:col with `{ }`: a comma after the
    last element when it has none, then the terminator on its own line when the brace starts its
    line (indented as the elements are), inline when the array is written on one line."""
    at = offset(source, line, col)
    last = _before(source, at)
    edits = []
    if last >= 0 and source[last] not in ",{":
        here = _location(path, source, last + 1)
        edits.append(Edit(here, here, ","))
    brace = _location(path, source, at)
    line_start = source.rfind("\n", 0, at) + 1
    if source[line_start:at].strip():              # `{ {...}, {...} }` on one line
        edits.append(Edit(brace, brace, "{ } " if source[:at].endswith((" ", "\t")) else " { } "))
        return tuple(edits)
    indent = "\t"
    prev_start = source.rfind("\n", 0, max(line_start - 1, 0)) + 1
    prev = source[prev_start:max(line_start - 1, prev_start)]
    if prev.strip() and prev != prev.lstrip():
        indent = prev[:len(prev) - len(prev.lstrip())]
    edits.append(Edit(brace, brace, f"{indent}{{ }}\n"))
    return tuple(edits)


def apply_edits(text: str, edits: Iterable[Edit]) -> Tuple[str, int]:
    """`text` with the edits applied (later ones first, so earlier offsets stay right); an edit that
    overlaps one already applied is left out. Returns the new text and how many edits applied."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    spans = sorted(((_offset(text, starts, e.start.line, e.start.col), _offset(text, starts, e.end.line, e.end.col),
                     e.text) for e in edits), key=lambda s: (s[0], s[1]))
    if text and not text.endswith("\n"):
        # appends after the last line of a file without a final newline: the first starts a line
        at_end = [i for i, (a, b, _) in enumerate(spans) if a == b == len(text)]
        if at_end:
            a, b, t = spans[at_end[0]]
            spans[at_end[0]] = (a, b, "\n" + t)
    kept: List[Tuple[int, int, str]] = []
    last_end = -1
    for s, e, t in spans:
        if s < last_end or (s, e, t) in kept:
            continue                      # overlapping an edit already kept, or the same edit twice
        kept.append((s, e, t))
        last_end = e
    out = text
    for s, e, t in reversed(kept):
        out = out[:s] + t + out[e:]
    return out, len(kept)


def fix_edits(findings: Sequence[Finding], path_matches) -> List[Edit]:
    """The first fix of each finding, its edits in the file `path_matches` accepts."""
    edits: List[Edit] = []
    for f in findings:
        if f.fixes:
            edits += [e for e in f.fixes[0].edits if path_matches(e.start.file)]
    return edits


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def fixed_source(text: str, findings: Sequence[Finding], path_matches) -> Tuple[str, int]:
    return apply_edits(text, fix_edits(findings, path_matches))


def settle_terminators(findings: Sequence[Finding], source: str, path_matches) -> List[Finding]:
    """KLP101's edits recomputed against `source` (an editor buffer, standard input): the rule
    computes them against the file on disk, which an unsaved buffer may not match. The closing
    brace is the last edit's place."""
    out = []
    for f in findings:
        if f.rule == "KLP101" and f.fixes and f.fixes[0].edits and path_matches(f.fixes[0].edits[-1].start.file):
            brace = f.fixes[0].edits[-1].start
            f = replace(f, fixes=(replace(f.fixes[0], edits=terminator_edits(brace.file, source, brace.line,
                                                                              brace.col)),) + f.fixes[1:])
        out.append(f)
    return out


def read_text(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
            return fh.read()
    except OSError:
        return None
