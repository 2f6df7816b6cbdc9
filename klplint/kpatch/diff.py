"""A source diff: its files and hunks (parsed with whatthepatch) and each file's post-image, built in memory."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

import whatthepatch
from whatthepatch.exceptions import HunkApplyException, WhatThePatchException


class DiffError(Exception):
    """A diff that cannot be read or does not apply; the message is one line naming the diff and hunk."""


@dataclass(frozen=True)
class Hunk:
    """One `@@` hunk: where its header is in the diff, and the post-image lines it adds or keeps."""
    number: int               # 1-based, within its file
    diff_line: int            # line of the `@@` header in the diff file
    header: str               # the `@@ -a,b +c,d @@ ...` line
    new_first: int            # first and last post-image line the hunk covers (0 when it covers none)
    new_last: int
    added: Tuple[int, ...]    # post-image lines the hunk adds
    removed_at: Tuple[int, ...]   # post-image line before which each removed line was


@dataclass(frozen=True)
class FileDiff:
    """The change to one file: `path` relative to the top of the tree (a/ and b/ prefixes gone)."""
    path: str
    old_path: Optional[str]   # None: a new file
    new_path: Optional[str]   # None: the file is deleted
    hunks: Tuple[Hunk, ...]
    raw: object               # the whatthepatch diff, to apply

    def hunk_at(self, line: int) -> Optional[Hunk]:
        """The hunk whose post-image lines contain `line` (None: the line is unchanged context outside every hunk)."""
        for h in self.hunks:
            if h.new_first <= line <= h.new_last:
                return h
        return None


@dataclass(frozen=True)
class SourceDiff:
    path: str                 # the diff file as given
    files: Tuple[FileDiff, ...]


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")


def _strip(p: Optional[str]) -> Optional[str]:
    if p is None or p == "/dev/null":
        return None
    p = p.split("\t")[0]
    if p.startswith(("a/", "b/")):
        p = p[2:]
    return os.path.normpath(p)


def read_diff(path: str) -> SourceDiff:
    """Parse a unified diff (git or plain `diff -u`); a DiffError when it is unreadable or empty."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        raise DiffError(f"{path}: cannot read: {e.strerror}")
    return parse_diff(path, text)


def parse_diff(path: str, text: str) -> SourceDiff:
    parsed, headers = [], []
    for section, first_line in _sections(text):
        try:
            parsed += list(whatthepatch.parse_patch(section))[:1]
        except WhatThePatchException as e:
            raise DiffError(f"{path}:{first_line}: not a unified diff: {e}")
        headers += [[(first_line - 1 + n, h) for n, h in hs] for hs in _hunk_headers(section)][:1]
    files: List[FileDiff] = []
    for n, d in enumerate(parsed):
        if d.header is None or not d.changes:
            continue
        old, new = _strip(d.header.old_path), _strip(d.header.new_path)
        name = new or old
        if name is None:
            continue
        hunk_lines = headers[n] if n < len(headers) else []
        hunks = []
        for number in sorted({c.hunk for c in d.changes}):
            changes = [c for c in d.changes if c.hunk == number]
            news = [c.new for c in changes if c.new is not None]
            added = tuple(c.new for c in changes if c.old is None and c.new is not None)
            removed_at, last_new = [], 0
            for c in changes:
                if c.new is not None:
                    last_new = c.new
                elif c.old is not None:
                    removed_at.append(last_new + 1)
            diff_line, header = hunk_lines[number - 1] if number - 1 < len(hunk_lines) else (0, "@@")
            hunks.append(Hunk(number, diff_line, header, min(news) if news else 0, max(news) if news else 0,
                              added, tuple(removed_at)))
        files.append(FileDiff(name, old, new, tuple(hunks), d))
    if not files:
        raise DiffError(f"{path}: no file changes in this diff")
    return SourceDiff(path, tuple(files))


def _sections(text: str) -> List[Tuple[str, int]]:
    """The diff cut into one piece per file (each opening at its `--- ` line), with the piece's first
    line number: whatthepatch reads a plain `diff -u` of several files as one file otherwise."""
    lines = _without_signature(text.splitlines(keepends=True))
    starts = [i for i, line in enumerate(lines)
              if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ ")]
    return [("".join(lines[a:b]), a + 1) for a, b in zip(starts, starts[1:] + [len(lines)])]


def _without_signature(lines: List[str]) -> List[str]:
    """git format-patch ends the mail with `-- ` and the git version: not a removed line `- `."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].rstrip("\n") == "-- ":
            rest = lines[i + 1:]
            if not any(x.startswith(("--- ", "+++ ", "@@ ")) for x in rest):
                return lines[:i]
            break
    return lines


def _hunk_headers(text: str) -> List[List[Tuple[int, str]]]:
    """(diff line, header) of every hunk, grouped by file section in order (a `--- ` line opens one)."""
    out: List[List[Tuple[int, str]]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines, 1):
        if line.startswith("--- ") and i < len(lines) and lines[i].startswith("+++ "):
            out.append([])
        elif _HUNK.match(line) and out:
            out[-1].append((i, line.strip()))
    return out


def apply(diff: SourceDiff, fd: FileDiff, old_text: Optional[str]) -> str:
    """The post-image of one file (in memory: nothing on disk changes), or a DiffError naming the hunk
    that does not apply."""
    old_lines = [] if old_text is None else old_text.splitlines()
    try:
        new_lines = whatthepatch.apply_diff(fd.raw, old_lines)
    except IndexError:      # a hunk past the end of the file
        raise DiffError(f"{diff.path}: {fd.path} does not apply: a hunk reaches past the end of the file")
    except HunkApplyException as e:
        number = getattr(e, "hunk", None)
        h = next((h for h in fd.hunks if h.number == number), None)
        where = f"{diff.path}:{h.diff_line}" if h and h.diff_line else diff.path
        head = f" {h.header}" if h else ""
        raise DiffError(f"{where}: hunk #{number}{head} of {fd.path} does not apply: {_reason(e)}")
    except WhatThePatchException as e:
        raise DiffError(f"{diff.path}: {fd.path} does not apply: {e}")
    if new_lines is None:
        raise DiffError(f"{diff.path}: {fd.path} does not apply")
    return "\n".join(new_lines) + "\n"


def _reason(e: Exception) -> str:
    msg = str(e)
    return re.sub(r",? in hunk #\d+$", "", msg)
