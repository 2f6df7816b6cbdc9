"""The checked files' lines, read once per report: source lines for carets, code-point columns for
SARIF, and the line text fingerprints hash (so a writer stays linear in the number of findings).
Paths as shown, repository-relative paths and normalised lines are worked out once per report too:
a large report has thousands of findings on a few files and lines."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from klplint.findings import Finding, fingerprint_of_line, snippet_of_line
from klplint.pathnorm import repo_relative
from klplint.report.gather import display_path


class SourceLines:
    """Each file read at most once; a file that cannot be read has no lines."""

    def __init__(self):
        self._lines: Dict[str, Optional[List[str]]] = {}
        self.reads = 0                      # files read: the tests check it stays one per file
        # one report runs in one working folder, so each of these is fixed for the report's life
        self._shown: Dict[str, str] = {}
        self._keys: Dict[str, str] = {}
        self._snippets: Dict[Tuple[str, int], str] = {}
        self._columns: Dict[Tuple[str, int, int], int] = {}

    def display(self, path: str) -> str:
        """display_path(path), computed once per path."""
        shown = self._shown.get(path)
        if shown is None:
            shown = self._shown[path] = display_path(path)
        return shown

    def line(self, path: str, line: int) -> Optional[str]:
        if path not in self._lines:
            self.reads += 1
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    self._lines[path] = f.read().splitlines()
            except OSError:
                self._lines[path] = None
        lines = self._lines[path]
        if lines is None or not (1 <= line <= len(lines)):
            return None
        return lines[line - 1]

    def code_point_column(self, path: str, line: int, col: int) -> int:
        """klplint's 1-based byte column -> the 1-based code-point column SARIF's
        `columnKind: unicodeCodePoints` means (the same on an ASCII line)."""
        key = (path, line, col)
        found = self._columns.get(key)
        if found is None:
            found = self._columns[key] = self._code_point_column(path, line, col)
        return found

    def _code_point_column(self, path: str, line: int, col: int) -> int:
        text = self.line(path, line)
        if text is None or col <= 1:
            return max(col, 1)
        raw = text.encode("utf-8")
        if col - 1 > len(raw):
            return len(text) + (col - 1 - len(raw)) + 1
        return len(raw[:col - 1].decode("utf-8", errors="ignore")) + 1

    def fingerprint(self, f: Finding) -> str:
        path, line = f.loc.file, f.loc.line
        text = self._snippets.get((path, line))
        if text is None:
            text = self._snippets[(path, line)] = snippet_of_line(self.line(path, line) or "")
        rel = self._keys.get(path)
        if rel is None:
            rel = self._keys[path] = repo_relative(path)
        return fingerprint_of_line(f, text, rel)
