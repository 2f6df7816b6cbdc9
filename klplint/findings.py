"""Finding, its path and fixes, with a stable order and fingerprints that survive unrelated edits."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Optional, Tuple

from klplint.location import Location
from klplint.pathnorm import repo_relative

LEVEL_RANK = {"note": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class PathStep:
    """One step of the path that leads to a finding: a lifecycle event or a statement."""
    loc: Location
    message: str
    kind: str = "statement"     # 'scenario' (a lifecycle step) | 'statement'


@dataclass(frozen=True)
class Edit:
    """Replace the text between start and end (end == start: insert) with `text`."""
    start: Location
    end: Location
    text: str


@dataclass(frozen=True)
class Fix:
    description: str
    edits: Tuple[Edit, ...]


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    message: str
    loc: Location
    path: Tuple[PathStep, ...] = ()
    function: Optional[str] = None      # enclosing function or table, for baselines
    fixes: Tuple[Fix, ...] = ()
    scenario: Optional[str] = None      # the lifecycle scenario of the witness path
    related: Tuple[PathStep, ...] = ()  # other places the finding concerns (the hunk of a source diff)

    def sort_key(self):
        return (self.loc.file, self.loc.line, self.loc.col, self.rule, self.message)

    def with_level(self, level: str) -> "Finding":
        return replace(self, level=level)


@dataclass(frozen=True)
class ToolError:
    """A file that could not be analysed (or a config problem): never a lost result, never a traceback."""
    path: str
    reason: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: error: {self.reason}"


def snippet(path: str, line: int, source: Optional[str] = None) -> str:
    """The source line of a finding, whitespace-normalised ('' when unreadable)."""
    try:
        text = source if source is not None else open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return ""
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        return snippet_of_line(lines[line - 1])
    return ""


def fingerprint(f: Finding, source: Optional[str] = None) -> str:
    """Rule, file, enclosing function and the normalised line text: not the line number, so an edit
    elsewhere in the file keeps the fingerprint. The file is named relative to its repository's root."""
    return fingerprint_of_line(f, snippet(f.loc.file, f.loc.line, source))


def snippet_of_line(line: str) -> str:
    return " ".join(line.split())


def fingerprint_of_line(f: Finding, text: str, file_key: Optional[str] = None) -> str:
    """fingerprint() from the finding's whitespace-normalised line, for writers that read each file once;
    `file_key` is repo_relative(f.loc.file) when the writer has it already (one look-up per file)."""
    rel = file_key if file_key is not None else repo_relative(f.loc.file)      # however the path was spelled
    key = "\0".join([f.rule, rel, f.function or "", text])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def sorted_findings(findings):
    """Stable order, one finding per (rule, location, message)."""
    seen = {}
    for f in findings:
        key = (f.rule, f.loc, f.message)
        prev = seen.get(key)
        if prev is None or len(f.path) < len(prev.path):
            seen[key] = f
    return sorted(seen.values(), key=Finding.sort_key)
