"""What `klplint check` and `klplint trace` do once the configuration is known."""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

import click

from .findings import LEVEL_RANK

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _progress_printer():
    """A one-line progress counter on a terminal for long runs; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done, total, path):
        if total < 10:
            return
        sys.stderr.write(f"\rklplint: {done}/{total} files")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def run_check(paths: Sequence[str], config, fmt: str = "text", output: Optional[str] = None,
              statistics: bool = False, jobs: Optional[int] = None, use_cache: bool = True,
              baseline: Optional[str] = None, write_baseline: Optional[str] = None,
              sarif_category: str = "klplint/") -> int:
    from .analyze import analyze_paths
    from .report import all_errors, render
    from .report.text import render_errors

    results, errors = analyze_paths(paths, config, jobs=jobs or 1, progress=_progress_printer())
    report = render(fmt, results, errors, config, statistics=statistics, category=sarif_category)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as f:
                f.write(report)
        except OSError as e:
            click.echo(f"klplint: error: cannot write {output}: {e.strerror}", err=True)
            return EXIT_ERROR
    else:
        sys.stdout.write(report)
    if fmt in ("text", "json") or output:
        sys.stderr.write(render_errors(results, errors))
        for r in results:
            for n in r.notes:
                sys.stderr.write(f"{n.path}:{n.line}: note: {n.reason}\n")
    if all_errors(results, errors):
        return EXIT_ERROR
    threshold = LEVEL_RANK[config.fail_on]
    if any(LEVEL_RANK[f.level] >= threshold for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run_trace(files: Sequence[str], config, scenario: Optional[str], fmt: str) -> int:
    from . import lifecycle, trace
    from .extract import extract
    from .frontend import FrontendError, parse

    patches = []
    for path in files:
        try:
            module = extract(parse(path, config), config)
        except FrontendError as e:
            click.echo(f"{e.path}: error: {e.reason}", err=True)
            return EXIT_ERROR
        if not module.patches:
            click.echo(f"{path}: error: no struct klp_patch in this file", err=True)
            return EXIT_ERROR
        patches.append(module.patches[0])
    try:
        if scenario:
            scenarios = [lifecycle.replay(patches, lifecycle.parse_events(scenario))]
        else:
            scenarios = lifecycle.enumerate_scenarios(patches, config.budgets.max_scenarios)
    except lifecycle.ScenarioError as e:
        click.echo(f"klplint: error: {e}", err=True)
        return EXIT_ERROR
    sys.stdout.write(trace.render(patches, scenarios, fmt))
    if not trace.render(patches, scenarios, fmt).endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_CLEAN
