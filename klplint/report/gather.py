"""What every reporter reads from a run: the sorted findings, the tool errors, the notes, and paths
as users typed them."""
from __future__ import annotations

import os
from typing import List

from klplint.findings import Finding


def display_path(path: str) -> str:
    """Paths as users typed them: relative to the working directory when under it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def all_findings(results) -> List:
    out = []
    for res in results:
        out.extend(res.findings)
    return sorted(out, key=Finding.sort_key)


def all_errors(results, errors) -> List:
    out = list(errors)
    for res in results:
        out.extend(res.errors)
    return out


def all_notes(results) -> List:
    out = []
    for res in results:
        out.extend(res.notes)
    return out
