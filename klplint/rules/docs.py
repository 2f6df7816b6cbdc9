"""rules/<ID>.md, one page per rule, rendered from the rule's own documentation (registry.Rule).

    python -m klplint.rules.docs rules/            # (re)write the pages, delete pages of no rule
    python -m klplint.rules.docs --check rules/    # exit 1 and name every stale page
    klplint rules --write-docs rules/        # the same as the first
"""
from __future__ import annotations

import os
import re
import sys
from typing import Dict, List, Optional, Tuple

from klplint.rules.registry import API_NAMES, all_rules

HEADER = ("<!-- Generated from the rule's definition in klplint/rules/ by `python -m klplint.rules.docs rules/`. "
          "Do not edit: change the rule and regenerate. -->\n\n")
INDEX = "README.md"
REGENERATE = "python -m klplint.rules.docs rules/"
_PAGE = re.compile(r"KLP\d{3}\.md\Z")


def pages() -> Dict[str, str]:
    """File name -> content for every rule, plus the index."""
    rules = all_rules()
    out = {f"{r.id}.md": HEADER + r.markdown() for r in rules}
    lines = [HEADER.rstrip("\n"), "", "# klplint rules", "",
             "Identifiers are fixed: they are never renumbered or reused. `klplint explain KLPnnn` prints a page.",
             "", "| id | name | level | API | finds |", "| --- | --- | --- | --- | --- |"]
    for r in rules:
        summary = " ".join(r.summary.split()).replace("|", "\\|")
        lines.append(f"| [{r.id}]({r.id}.md) | {r.name} | {r.level} | {API_NAMES[r.api]} | {summary} |")
    out[INDEX] = "\n".join(lines) + "\n"
    return out


def _differences(directory: str) -> List[Tuple[str, Optional[str], str]]:
    """(file name, the text it should have or None when it should go, why) for every page in
    `directory` that differs from the rules' definitions."""
    want = pages()
    out: List[Tuple[str, Optional[str], str]] = []
    for name, text in sorted(want.items()):
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                have = f.read()
        except OSError:
            out.append((name, text, "missing"))
            continue
        if have != text:
            out.append((name, text, "out of date with the rule's definition"))
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            if _PAGE.match(name) and name not in want:
                out.append((name, None, "no such rule any more"))
    return out


def write(directory: str) -> List[str]:
    """Write every page that differs, delete rule pages of rules that no longer exist; returns the
    names of the files written or deleted."""
    os.makedirs(directory, exist_ok=True)
    changed = []
    for name, text, _why in _differences(directory):
        path = os.path.join(directory, name)
        if text is None:
            os.unlink(path)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        changed.append(name)
    return changed


def stale(directory: str) -> List[str]:
    """One message per page that `write` would change."""
    return [f"{os.path.join(directory, name)}: {why}" for name, _text, why in _differences(directory)]


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write("usage: python -m klplint.rules.docs [--check] DIR\n")
        return 2
    directory = args[0]
    if check:
        problems = stale(directory)
        for p in problems:
            sys.stderr.write(f"{p}\n")
        if problems:
            sys.stderr.write(f"regenerate with: {REGENERATE}\n")
        return 1 if problems else 0
    for name in write(directory):
        sys.stderr.write(f"updated {os.path.join(directory, name)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
