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
from klplint.report.text import render_errors, summary, use_colour
from klplint.fixes import settle_terminators
from klplint.pipeline.analyze_file import analyze_file_safely
from klplint.pipeline.collect import is_livepatch_text
from klplint.pipeline.result import FileResult, slim
from klplint.fixes import fixed_source, read_text, unified_diff
from klplint.frontend import FrontendError, parse
from klplint.patch.extract import extract
from klplint.report import trace

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


def _fail_code(results, errors, fail_on: str) -> int:
    if all_errors(results, errors):
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = LEVEL_RANK[fail_on]
    if any(LEVEL_RANK[f.level] >= threshold for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _analyze_stdin(stdin_filename: str, config):
    """`klplint check -`: the source from standard input, reported (and configured) as if it were
    `stdin_filename`."""
    text = sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape")
    if not is_livepatch_text(text):
        return [FileResult(stdin_filename, skipped=True)], [], text
    r = analyze_file_safely(stdin_filename, config, text=text)
    r.findings = settle_terminators(r.findings, text, lambda p: _same_file(p, stdin_filename))
    return [slim(r)], [], text


def _same_file(a: str, b: str) -> bool:
    return a == b or os.path.abspath(a) == os.path.abspath(b)


def _apply_fixes(results, diff: bool, stdin_text: Optional[str] = None) -> int:
    """--fix writes each file's fixes (KLP101, KLP112, KLP113 have them), --diff prints them as a
    unified diff instead; with standard input, --fix prints the fixed source. Returns how many
    findings had a fix applied."""
    fixed = 0
    for r in results:
        mine = [f for f in r.findings if f.fixes]
        if not mine:
            continue
        before = stdin_text if stdin_text is not None else read_text(r.path)
        if before is None:
            continue
        after, _ = fixed_source(before, mine, lambda p, path=r.path: _same_file(p, path))
        if after == before:
            continue
        fixed += len(mine)
        if diff:
            sys.stdout.write(unified_diff(display_path(r.path), before, after))
        elif stdin_text is not None:
            sys.stdout.write(after)
        else:
            with open(r.path, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
                fh.write(after)
    return fixed


def run_check(paths: Sequence[str], config, fmt: str = "text", output: Optional[str] = None,
              statistics: bool = False, jobs: Optional[int] = None, use_cache: bool = True,
              baseline: Optional[str] = None, write_baseline: Optional[str] = None,
              sarif_category: Optional[str] = None, fail_on: Optional[str] = None, exit_zero: bool = False,
              quiet: bool = False, color: str = "auto", fix: bool = False, diff: bool = False,
              stdin_filename: Optional[str] = None) -> int:
    if baseline and write_baseline:
        click.echo("klplint: error: --baseline and --write-baseline cannot be used together", err=True)
        return EXIT_ERROR
    stdin = list(paths) == ["-"]
    if "-" in paths and not stdin:
        click.echo("klplint: error: '-' (standard input) cannot be mixed with other paths", err=True)
        return EXIT_ERROR
    accepted = None
    if baseline:
        try:
            accepted = baselines.load(baseline)
        except baselines.BaselineError as e:
            click.echo(f"klplint: error: {e}", err=True)
            return EXIT_ERROR
    cache = None
    if use_cache and not stdin:
        cache = ResultCache(config)

    stdin_text = None
    if stdin:
        results, errors, stdin_text = _analyze_stdin(stdin_filename or "stdin.c", config)
    else:
        results, errors = analyze_paths(paths, config, jobs=jobs or 1,
                                        progress=None if quiet else _progress_printer(), cache=cache)

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

    if fix or diff:
        n = _apply_fixes(results, diff, stdin_text)
        if diff:
            sys.stderr.write(render_errors(results, errors))
            if not quiet:
                click.echo(f"klplint: {n} fix{'es' if n != 1 else ''} would be applied", err=True)
            return EXIT_ERROR if all_errors(results, errors) else (EXIT_FINDINGS if n and not exit_zero
                                                                   else EXIT_CLEAN)
        if not quiet:
            click.echo(f"klplint: fixed {n} finding{'s' if n != 1 else ''}", err=True)
        if stdin:
            sys.stderr.write(render_errors(results, errors))
            return _fail_code(results, errors, "never" if exit_zero else (fail_on or config.fail_on))
        if n:        # report what is left, as it is now on disk
            results, errors = analyze_paths(paths, config, jobs=jobs or 1, cache=cache)
            if accepted is not None:
                baselines.filter_results(results, baseline, accepted)

    colour = fmt == "text" and not output and use_colour(color, sys.stdout)
    report = render(fmt, results, errors, config, statistics=statistics, category=sarif_category,
                    colour=colour, source=colour, fix_hint=True)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as f:
                f.write(report)
        except OSError as e:
            click.echo(f"klplint: error: cannot write {output}: {e.strerror}", err=True)
            return EXIT_ERROR
    else:
        sys.stdout.write(report)
    if fmt == "text" and not output and not quiet and (all_findings(results) or all_errors(results, errors)
                                                        or any(r.skipped for r in results)):
        sys.stdout.write(summary(results, errors))       # a clean run prints nothing, as a compiler
    if fmt in ("text", "json") or output:
        sys.stderr.write(render_errors(results, errors))
        for r in results:
            for n in r.notes:
                where = f"{display_path(n.path)}:{n.line}" if n.line else display_path(n.path)
                sys.stderr.write(f"{where}: note: {n.reason}\n")
    if statistics and fmt != "text":
        # The text report carries its own counts; other formats stay machine-readable on stdout.
        sys.stderr.write(_statistics(results))
    code = _fail_code(results, errors, fail_on or config.fail_on)
    if exit_zero and code == EXIT_FINDINGS:
        return EXIT_CLEAN
    return code


def run_trace(files: Sequence[str], config, scenario: Optional[str], fmt: str) -> int:
    # start-up: trace only; check does not import the analyzer through this module
    from klplint.analysis import initmode, lifecycle

    patches, modes = [], []
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
        modes.append(initmode.init_mode(module, module.patches[0]))     # as check's engine reads it
    try:
        if scenario:
            scenarios = [lifecycle.replay(patches, lifecycle.parse_events(scenario), modes)]
        else:
            scenarios = lifecycle.enumerate_scenarios(patches, config.budgets.max_scenarios, modes)
    except lifecycle.ScenarioError as e:
        click.echo(f"klplint: error: {e}", err=True)
        return EXIT_ERROR
    sys.stdout.write(trace.render(patches, scenarios, fmt))
    if not trace.render(patches, scenarios, fmt).endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_CLEAN
