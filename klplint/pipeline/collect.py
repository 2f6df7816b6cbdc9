"""The files a run analyses: files as given, folders expanded to every *.c below them that git does
not ignore and kbuild did not generate; and which of them are livepatch modules at all."""
from __future__ import annotations

import os
import re
import subprocess
from typing import List, Sequence, Set, Tuple

from klplint.findings import ToolError
from klplint.safeio import UnreadableFile, read_bytes

# modpost writes <module>.mod.c next to every module it links; kbuild's other generated C files
# (the .mod.c of each module, and the timestamps' .vmlinux.export.c) are never livepatch sources.
GENERATED_SUFFIXES = (".mod.c", ".vmlinux.export.c")

# A livepatch module names a klp_* type or call, or includes <linux/livepatch.h>: a C file with
# neither (a helper, a test program, a file of another project in the same repository) is not
# analysed, so the pre-commit hook (types: [c]) and `klplint check .` do not stop at it.
_LIVEPATCH = re.compile(rb"\bklp_\w+|livepatch\.h")


def is_livepatch_source(path: str) -> bool:
    """Whether the file looks like (part of) a livepatch module; an unreadable, special, oversized or
    binary file counts as one, so that the analysis names the file and the reason. Read through
    safeio: a FIFO or /dev/zero named *.c must not block or fill memory here either."""
    try:
        data = read_bytes(path)
    except UnreadableFile:
        return True
    # a binary named *.c is not skipped: the analysis says it is not C source
    return b"\0" in data or _LIVEPATCH.search(data) is not None


def is_livepatch_text(text: str) -> bool:
    return _LIVEPATCH.search(text.encode("utf-8", errors="replace")) is not None


def _in_git_work_tree(folder: str) -> bool:
    """A `.git` (a repository's folder with its HEAD, or the file of a worktree or submodule) at or
    above `folder`: looked up
    without running git, so a check outside a repository starts no process (and a rerun of it
    can be replayed: klplint/rerun.py records only runs that fork nothing)."""
    d = os.path.abspath(folder)
    while True:
        git = os.path.join(d, ".git")
        if os.path.isfile(git) or os.path.isfile(os.path.join(git, "HEAD")):
            return True
        parent = os.path.dirname(d)
        if parent == d:
            return False
        d = parent


def _git_ignored(root: str, candidates: List[str]) -> Set[str]:
    """The candidates git ignores (.gitignore, .git/info/exclude, the global excludes), asked of git
    itself in one call; nothing when `root` is not in a git work tree or git is not installed."""
    if not candidates or not _in_git_work_tree(root):
        return set()
    try:
        inside = subprocess.run(["git", "-C", root, "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=30)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return set()
        absolute = [os.path.abspath(c) for c in candidates]
        proc = subprocess.run(["git", "-C", root, "check-ignore", "-z", "--stdin"],
                              input="\0".join(absolute) + "\0", capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):        # 1: nothing ignored
        return set()
    ignored = {os.path.normpath(p) for p in proc.stdout.split("\0") if p}
    return {c for c, a in zip(candidates, absolute) if os.path.normpath(a) in ignored}


def _walk(folder: str) -> List[str]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, n) for n in sorted(names)
                  if n.endswith(".c") and not n.endswith(GENERATED_SUFFIXES)]
    ignored = _git_ignored(folder, found)
    return [f for f in found if f not in ignored]


def collect_files(paths: Sequence[str]) -> Tuple[List[str], List[ToolError]]:
    """Files to analyse: files as given, folders expanded to every *.c below them (sorted) except
    kbuild's generated ones and those git ignores."""
    files: List[str] = []
    errors: List[ToolError] = []
    for p in paths:
        if os.path.isdir(p):
            found = _walk(p)
            if not found:
                errors.append(ToolError(p, "no C files (*.c) in this directory"))
            files += found
        elif os.path.exists(p):
            files.append(p)
        else:
            errors.append(ToolError(p, "no such file or directory"))
    seen = set()
    unique = []
    for f in files:
        key = os.path.normpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors
