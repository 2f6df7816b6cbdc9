"""Text output in the shape gcc and clang print: `path:line:col: error: message [KLP201]`, then notes.

Every line a compiler's errorformat knows (Vim's `:compiler gcc`, Emacs' compilation mode, VS Code's
`$gcc` problem matcher) reads: the finding, the lifecycle scenario and each step of the path as
`path:line:col: note: ...`. On a terminal (or with --color always) the finding's source line and a
caret follow it and the level is coloured as gcc colours it; never in a pipe, a file or a CI log.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import List

from klplint.report.gather import all_errors, all_findings, display_path
from klplint.report.source import SourceLines

# gcc's colours (GCC_COLORS' defaults): error red, warning magenta, note cyan, locus bold.
_COLOUR = {"error": "\033[1;31m", "warning": "\033[1;35m", "note": "\033[1;36m"}
_BOLD, _GREEN, _RESET = "\033[1m", "\033[1;32m", "\033[0m"


def use_colour(choice: str = "auto", stream=None) -> bool:
    """--color auto|always|never: auto means a terminal and no NO_COLOR (https://no-color.org)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def _caret(text: str, col: int, colour: bool) -> List[str]:
    """The source line and a caret under the byte column `col` (tabs kept, so the caret lines up)."""
    prefix = text.encode("utf-8")[:max(col - 1, 0)].decode("utf-8", errors="ignore")
    pad = "".join(c if c == "\t" else " " for c in prefix)
    caret = f"{_GREEN}^{_RESET}" if colour else "^"
    return [f"{text}", f"{pad}{caret}"]


def diagnostic_line(path: str, line: int, col: int, level: str, message: str, colour: bool = False) -> str:
    where = f"{path}:{line}:{col}:" if line else f"{path}:"
    if not colour:
        return f"{where} {level}: {message}"
    return f"{_BOLD}{where}{_RESET} {_COLOUR.get(level, _BOLD)}{level}:{_RESET} {message}"


def render(results, errors, config, statistics: bool = False, colour: bool = False, source: bool = False,
           fix_hint: bool = False, **_) -> str:
    """The report; `fix_hint` marks fixable findings (`klplint check`, which has --fix)."""
    lines: List[str] = []
    findings = all_findings(results)
    sources = SourceLines()
    for f in findings:
        path = display_path(f.loc.file)
        fixable = " (fixable with --fix)" if f.fixes and fix_hint else ""
        lines.append(diagnostic_line(path, f.loc.line, f.loc.col, f.level, f"{f.message} [{f.rule}]{fixable}",
                                     colour))
        if source:
            text = sources.line(f.loc.file, f.loc.line)
            if text is not None:
                lines += _caret(text, f.loc.col, colour)
        if f.scenario:
            lines.append(diagnostic_line(path, f.loc.line, f.loc.col, "note", f"lifecycle scenario: {f.scenario}",
                                         colour))
        for step in f.path:
            lines.append(diagnostic_line(display_path(step.loc.file), step.loc.line, step.loc.col, "note",
                                         step.message, colour))
    if statistics:
        # start-up: the registry imports every rule and the analyzer; a run served from the
        # result cache asks for it only with --statistics
        from klplint.rules.registry import get
        counts = Counter(f.rule for f in findings)
        for rid, n in sorted(counts.items()):
            r = get(rid)
            lines.append(f"{n:5d}  {rid}  {r.name if r else ''}")
    return "\n".join(lines) + ("\n" if lines else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(results, errors) -> str:
    """The closing line, as ruff and clang-tidy print one: what was found, in how many files, how
    many files were checked and how many skipped (C files that are not livepatch modules)."""
    findings = all_findings(results)
    counts = Counter(f.level for f in findings)
    tool_errors = len(all_errors(results, errors))
    skipped = sum(1 for r in results if getattr(r, "skipped", False))
    checked = len(results) - skipped
    fixable = sum(1 for f in findings if f.fixes)
    tail = [f"{_plural(checked, 'file')} checked"]
    if skipped:
        tail.append(f"{skipped} skipped as not {'a livepatch module' if skipped == 1 else 'livepatch modules'}")
    if tool_errors:
        tail.append(f"{tool_errors} could not be analysed")
    if not findings:
        return f"No findings ({', '.join(tail)}).\n"
    parts = [_plural(counts[level], level) for level in ("error", "warning", "note") if counts[level]]
    files = len({f.loc.file for f in findings})
    line = f"Found {', '.join(parts)} in {_plural(files, 'file')} ({', '.join(tail)})."
    if fixable:
        line += f" {fixable} fixable with --fix."
    return line + "\n"


def render_errors(results, errors) -> str:
    """Tool errors for stderr: one line each, naming the file and the reason."""
    out = []
    for e in all_errors(results, errors):
        where = f"{display_path(e.path)}:{e.line}:{e.col}" if e.line else display_path(e.path)
        out.append(f"{where}: error: {e.reason}")
    return "\n".join(out) + ("\n" if out else "")
