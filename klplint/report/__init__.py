"""Reporters: one module per output format, all fed the same sorted findings and tool errors."""
from __future__ import annotations

import os
from typing import List

FORMATS = ("text", "json", "sarif", "github")


def display_path(path: str) -> str:
    """Paths as users typed them: relative to the working directory when under it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def render(fmt: str, results, errors, config, **options) -> str:
    if fmt == "json":
        from klplint.report.jsonfmt import render as r
    elif fmt == "sarif":
        from klplint.report.sarif import render as r
    elif fmt == "github":
        from klplint.report.github import render as r
    else:
        from klplint.report.text import render as r
    return r(results, errors, config, **options)


def all_findings(results) -> List:
    from klplint.findings import Finding
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
