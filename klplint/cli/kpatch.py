"""`klplint check FIX.patch` and `klplint trace FIX.patch`: source diffs on the command line."""
from __future__ import annotations

import re
import sys
from typing import Optional, Sequence

import click

from klplint.findings import LEVEL_RANK, ToolError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
DIFF_SUFFIXES = (".patch", ".diff")


def is_diff(path: str) -> bool:
    return path.endswith(DIFF_SUFFIXES)


def usage_problem(paths: Sequence[str], config) -> Optional[str]:
    """Why these paths cannot be checked as source diffs (None: they can, or none is a diff)."""
    diffs = [p for p in paths if is_diff(p)]
    if not diffs:
        return None
    if len(diffs) != len(paths):
        return "give either source diffs (.patch/.diff) or C files and folders, not both"
    if not config.kernel_src:
        return (f"{diffs[0]} is a source diff: pass the kernel tree it applies to with --kernel-src DIR "
                "(or KSRC=DIR, or kernel-src in the config), and its headers and .config with --kernel-dir DIR "
                "when the tree is not built")
    return None


def run_check(paths: Sequence[str], config, fmt: str = "text", output: Optional[str] = None,
              sarif_category: str = "klplint/", statistics: bool = False, baseline: Optional[str] = None,
              write_baseline: Optional[str] = None, **_) -> int:
    """Check every diff; the report and exit codes are those of `klplint check` on C files (--jobs and
    the result cache do not apply: one diff is one analysis)."""
    if baseline or write_baseline:
        # a baseline keys findings on their line's text, read from disk: for a diff that is the
        # pre-image, not the post-image the finding is in
        click.echo("klplint: error: --baseline and --write-baseline do not work with source diffs yet", err=True)
        return EXIT_ERROR
    # start-up: the kpatch front end and the pipeline load only when a source diff is checked
    from klplint.frontend.strict import strict_mode
    from klplint.kpatch.check import KpatchError, check_diff
    from klplint.report import all_errors, render
    from klplint.report.text import render_errors

    results, errors = [], []
    for path in paths:
        try:
            results += check_diff(path, config)
        except KpatchError as e:
            errors.append(_error(path, str(e)))
        except Exception as e:  # noqa: BLE001 - one bad diff must not hide the others
            if strict_mode(config):
                raise
            errors.append(ToolError(path, f"internal error: {type(e).__name__}: {e} (please report this with the diff)"))
    for r in results:
        r.module = None
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
                where = f"{n.path}:{n.line}" if n.line else n.path
                sys.stderr.write(f"{where}: note: {n.reason}\n")
    if statistics and fmt != "text":
        # start-up: the kpatch front end and the pipeline load only when a source diff is checked
        from klplint.cli.run import _statistics
        sys.stderr.write(_statistics(results))
    if all_errors(results, errors):
        return EXIT_ERROR
    threshold = LEVEL_RANK[config.fail_on]
    if any(LEVEL_RANK[f.level] >= threshold for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _error(path: str, message: str) -> ToolError:
    """A ToolError for the diff: `path:LINE: reason` messages keep their line, the path is not repeated."""
    m = re.match(re.escape(path) + r"(?::(\d+))?: (.*)$", message, re.S)
    if m is None:
        return ToolError(path, message)
    return ToolError(path, m.group(2), int(m.group(1) or 0), 1 if m.group(1) else 0)


def run_trace(paths: Sequence[str], config, scenario: Optional[str], fmt: str) -> int:
    """The scenarios of the patch model kpatch-build would make from the diff(s)."""
    # start-up: the kpatch front end and the pipeline load only when a source diff is checked
    from klplint.analysis import lifecycle
    from klplint.kpatch.check import KpatchError, prepare
    from klplint.report import trace

    patches = []
    for path in paths:
        try:
            p = prepare(path, config)
        except KpatchError as e:
            click.echo(str(_error(path, str(e))), err=True)
            return EXIT_ERROR
        for e in p.errors:
            click.echo(str(e), err=True)
        if p.module is None:
            click.echo(f"{path}: error: the diff changes no function kpatch-build would patch", err=True)
            return EXIT_ERROR
        patches.append(p.module.patches[0])
    try:
        if scenario:
            scenarios = [lifecycle.replay(patches, lifecycle.parse_events(scenario))]
        else:
            scenarios = lifecycle.enumerate_scenarios(patches, config.budgets.max_scenarios)
    except lifecycle.ScenarioError as e:
        click.echo(f"klplint: error: {e}", err=True)
        return EXIT_ERROR
    text = trace.render(patches, scenarios, fmt)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_CLEAN
