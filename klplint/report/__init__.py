"""Reporters: one module per output format, all fed the same sorted findings and tool errors."""
from __future__ import annotations

from klplint.report.gather import all_errors, all_findings, all_notes, display_path

__all__ = ["FORMATS", "all_errors", "all_findings", "all_notes", "display_path", "render"]

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, results, errors, config, **options) -> str:
    # Only the asked-for format's module is imported: sarif_om alone takes 50 ms.
    if fmt == "json":
        from klplint.report.jsonfmt import render as r  # start-up: one format only
    elif fmt == "sarif":
        from klplint.report.sarif import render as r  # start-up: one format only
    elif fmt == "github":
        from klplint.report.github import render as r  # start-up: one format only
    else:
        from klplint.report.text import render as r  # start-up: one format only
    return r(results, errors, config, **options)
