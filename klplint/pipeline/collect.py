"""The files a run analyses: files as given, folders expanded to every *.c below them."""
from __future__ import annotations

import os
from typing import List, Sequence, Tuple

from klplint.findings import ToolError


def collect_files(paths: Sequence[str]) -> Tuple[List[str], List[ToolError]]:
    """Files to analyse: files as given, folders expanded to every *.c below them (sorted)."""
    files: List[str] = []
    errors: List[ToolError] = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in sorted(names) if n.endswith(".c")]
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
