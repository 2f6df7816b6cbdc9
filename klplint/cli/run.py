"""What `klplint check` and `klplint trace` do once the configuration is known."""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from typing import Optional, Sequence

import click

from klplint.findings import LEVEL_RANK
from klplint.pipeline import baseline as baselines
from klplint.pipeline.analyze_paths import analyze_paths
from klplint.pipeline.cache import ResultCache
from klplint.report import all_errors, all_findings, display_path, render
from klplint.report.text import render_errors

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _progress_printer(stream=None, min_files: int = 10, delay: float = 0.5):
    """A one-line progress counter for long runs on a terminal: nothing when stderr is piped or
    redirected (CI logs, `2>file`), on a dumb terminal, for fewer than `min_files` files, or before
    `delay` seconds have passed; the line is erased when the run ends, so the report that follows
    starts on a clean line."""
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or os.environ.get("TERM") == "dumb":
        return None
    start = time.monotonic()
    shown = [False]

    def show(done, total, path):
        if total < min_files:
            return
        if done < total and time.monotonic() - start < delay:
            return
        if done == total:
            if shown[0]:
                stream.write("\r\033[K")
                stream.flush()
            return
        stream.write(f"\rklplint: {done}/{total} files")
        stream.flush()
        shown[0] = True
    return show


def _statistics(results) -> str:
    from klplint.rules.registry import get  # start-up: imports every rule; only --statistics needs it
    counts = Counter(f.rule for r in results for f in r.findings)
    return "".join(f"{n:5d}  {rid}  {get(rid).name if get(rid) else ''}\n" for rid, n in sorted(counts.items()))


def run_check(paths: Sequence[str], config, fmt: str = "text", output: Optional[str] = None,
              statistics: bool = False, jobs: Optional[int] = None, use_cache: bool = True,
              baseline: Optional[str] = None, write_baseline: Optional[str] = None,
              sarif_category: str = "klplint/") -> int:
    if baseline and write_baseline:
        click.echo("klplint: error: --baseline and --write-baseline cannot be used together", err=True)
        return EXIT_ERROR
    accepted = None
    if baseline:
        try:
            accepted = baselines.load(baseline)
        except baselines.BaselineError as e:
            click.echo(f"klplint: error: {e}", err=True)
            return EXIT_ERROR
    cache = None
    if use_cache:
        cache = ResultCache(config)

    results, errors = analyze_paths(paths, config, jobs=jobs or 1, progress=_progress_printer(), cache=cache)

    if write_baseline:
        try:
            n = baselines.write(write_baseline, all_findings(results))
        except OSError as e:
            click.echo(f"klplint: error: cannot write baseline {write_baseline}: {e.strerror}", err=True)
            return EXIT_ERROR
        sys.stderr.write(render_errors(results, errors))
        click.echo(f"klplint: wrote {n} finding{'s' if n != 1 else ''} to baseline {write_baseline}", err=True)
        return EXIT_ERROR if all_errors(results, errors) else EXIT_CLEAN
    if accepted is not None:
        baselines.filter_results(results, baseline, accepted)

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
                where = f"{display_path(n.path)}:{n.line}" if n.line else display_path(n.path)
                sys.stderr.write(f"{where}: note: {n.reason}\n")
    if statistics and fmt != "text":
        # The text report carries its own counts; other formats stay machine-readable on stdout.
        sys.stderr.write(_statistics(results))
    if all_errors(results, errors):
        return EXIT_ERROR
    threshold = LEVEL_RANK[config.fail_on]
    if any(LEVEL_RANK[f.level] >= threshold for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run_trace(files: Sequence[str], config, scenario: Optional[str], fmt: str) -> int:
    # start-up: trace only; check does not import the analyzer through this module
    from klplint.analysis import lifecycle
    from klplint.frontend import FrontendError, parse
    from klplint.patch.extract import extract
    from klplint.report import trace

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
