"""The `klplint` command line: check, rules, explain, trace (and the commands other modules register)."""
from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Optional, Sequence

import click

from klplint import __version__
from klplint.config.settings import LEVELS, Config

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Group(click.Group):
    """Usage errors exit with 2 (click's default too) and never print a traceback. Commands that
    live with the code they drive (the oracle's confirm, the language server, the kbuild checker)
    are imported only when asked for: `klplint check` does not pay for asyncio or the qemu harness,
    and `kbuild-check`, started once per file by make, pays only for itself."""

    LAZY = {"confirm": ("klplint.oracle.command", "confirm"),
            "lsp": ("klplint.cli.lsp", "lsp_command"),
            "kbuild-check": ("klplint.cli.kbuild_check", "kbuild_check")}

    def main(self, *args, **kwargs):
        kwargs.setdefault("standalone_mode", True)
        return super().main(*args, **kwargs)

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.LAZY))

    def get_command(self, ctx, name):
        if name in self.LAZY and name not in self.commands:
            module, attr = self.LAZY[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="klplint")
def main():
    """Static verifier for Linux kernel livepatch modules."""


def header_options(fn):
    """Options that choose the headers and front end, shared by check and trace."""
    fn = click.option("--frontend", type=click.Choice(["libclang", "pycparser"]), default=None,
                      help="C front end (default libclang; pycparser when libclang cannot be loaded).")(fn)
    fn = click.option("-D", "defines", multiple=True, metavar="NAME[=VALUE]", help="Define a macro.")(fn)
    fn = click.option("-I", "include_dirs", multiple=True, metavar="DIR", help="Add an include directory.")(fn)
    fn = click.option("-p", "compile_commands_dir", metavar="DIR", default=None,
                      help="Read compile flags from DIR/compile_commands.json (filtered to safe flags).")(fn)
    fn = click.option("--kernel-dir", envvar="KDIR", metavar="DIR", default=None,
                      help="Analyse against a kernel build tree (e.g. /usr/src/linux-headers-<ver>-amd64).")(fn)
    fn = click.option("--kernel-src", envvar="KSRC", metavar="DIR", default=None,
                      help="The kernel source tree a .patch/.diff applies to (kpatch patches).")(fn)
    fn = click.option("--config", "config_file", metavar="FILE", default=None,
                      help="Read settings from this pyproject.toml or .klplint.toml instead of the nearest one.")(fn)
    return fn


def build_config(paths: Sequence[str], config_file: Optional[str] = None, **flags) -> Config:
    """Defaults, then the nearest config file, then flags (flags win)."""
    from klplint.config.files import load_config  # start-up: it loads the rules; --help does not need them
    return load_config(paths, config_file, flags)


def _fail(message: str) -> None:
    click.echo(f"klplint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command()
@click.argument("paths", nargs=-1)
@header_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text")
@click.option("--output", "-o", "output", metavar="FILE", default=None, help="Write the report to FILE.")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rules (ids or prefixes, comma-separated).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rules (ids or prefixes, comma-separated).")
@click.option("--fail-on", type=click.Choice(LEVELS + ("never",)), default=None,
              help="Exit 1 when a finding at or above this level remains (default warning); 'never' only reports.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (2 still means a tool error).")
@click.option("--fix", is_flag=True, help="Apply the fixes of fixable findings (KLP101, KLP112, KLP113) in place.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of applying them.")
@click.option("--stdin-filename", metavar="PATH", default=None,
              help="With '-' as the path: the name the source read from standard input is reported under.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary line, no progress.")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour and source lines in the text report (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule produced.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, help="Analyse files in N processes.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--baseline", metavar="FILE", default=None, help="Report only findings not in this baseline.")
@click.option("--write-baseline", metavar="FILE", default=None, help="Write the current findings as a baseline.")
@click.option("--module-name", metavar="NAME", default=None, help="The livepatch module's name (default: file name).")
@click.option("--sarif-category", metavar="ID", default=None,
              help="SARIF automationDetails.id (the code scanning category), written as given; without it the "
                   "SARIF names no category, so the upload step's own `category:` applies.")
def check(paths, fmt, output, select, ignore, fail_on, exit_zero, fix, diff, stdin_filename, quiet, color,
          statistics, jobs, no_cache, baseline, write_baseline, module_name, sarif_category, **header):
    """Check livepatch module sources (files, or folders: every *.c below them; default: the current
    folder; '-': standard input). C files that are not livepatch modules are skipped."""
    from klplint.cli.run import run_check  # start-up: the pipeline, for check only
    paths = tuple(paths) or (".",)
    if fix and diff:
        _fail("--fix and --diff cannot be used together")
    if stdin_filename and paths != ("-",):
        _fail("--stdin-filename needs '-' as the path")
    # settings are looked up from where the standard input's file would be
    where = (stdin_filename or "stdin.c",) if paths == ("-",) else paths
    try:
        config = build_config(where, select=_split(select), ignore=_split(ignore),
                              fail_on=fail_on if fail_on in LEVELS else None, module_name=module_name, **header)
    except ValueError as e:
        _fail(str(e))
    _kpatch_dispatch(paths, config, lambda kp: kp.run_check(
        paths, config, fmt=fmt, output=output, sarif_category=sarif_category, statistics=statistics,
        baseline=baseline, write_baseline=write_baseline))
    code = run_check(paths, config, fmt=fmt, output=output, statistics=statistics, jobs=jobs,
                     use_cache=not no_cache, baseline=baseline, write_baseline=write_baseline,
                     sarif_category=sarif_category, fail_on="never" if fail_on == "never" else None,
                     exit_zero=exit_zero, quiet=quiet, color=color, fix=fix, diff=diff,
                     stdin_filename=stdin_filename)
    sys.exit(code)


def _kpatch_dispatch(paths, config, run) -> None:
    """Source diffs (.patch/.diff) go to the kpatch front end; C files go on as before."""
    # start-up: each subcommand imports what it needs when it runs
    from klplint.cli import kpatch as kp
    if any(kp.is_diff(p) for p in paths):
        problem = kp.usage_problem(paths, config)
        if problem:
            _fail(problem)
        sys.exit(run(kp))


def _split(values) -> tuple:
    out = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return tuple(out)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--write-docs", metavar="DIR", default=None,
              help="Write every rule's documentation page to DIR/<ID>.md (the repository's rules/).")
def rules(fmt, write_docs):
    """List every rule: id, level, API generation, name and what it finds."""
    from klplint.rules.registry import all_rules  # start-up: every rule and the analyzer
    if write_docs:
        from klplint.rules.docs import write  # start-up: only for --write-docs
        try:
            changed = write(write_docs)
        except OSError as e:
            _fail(f"cannot write {write_docs}: {e.strerror}")
        for name in changed:
            click.echo(f"updated {os.path.join(write_docs, name)}", err=True)
        return
    rs = all_rules()
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "name": r.name, "level": r.level, "api": r.api, "family": r.family,
                                 "summary": r.summary} for r in rs], indent=2))
        return
    if fmt == "markdown":
        click.echo("| id | name | level | API | finds |\n| --- | --- | --- | --- | --- |")
        for r in rs:
            click.echo(f"| [{r.id}](rules/{r.id}.md) | {r.name} | {r.level} | {r.api} | {r.summary} |")
        return
    for r in rs:
        click.echo(f"{r.id}  {r.level:<7}  {r.api}  {r.name:<30}  {r.summary}")
    # the legend goes to stderr, so that stdout stays one rule per line for scripts
    click.echo("API column: B = both livepatch APIs, H = klp_hook arrays (.patch_hooks/.unpatch_hooks), "
               "C = klp_callbacks (.callbacks)", err=True)


@main.command()
@click.argument("rule_id")
def explain(rule_id):
    """Print a rule's documentation."""
    from klplint.rules.registry import get  # start-up: every rule and the analyzer
    r = get(rule_id)
    if r is None:
        _fail(f"unknown rule {rule_id!r} (see `klplint rules`)")
    click.echo(r.markdown())


@main.command()
@click.argument("files", nargs=-1, required=True)
@header_options
@click.option("--scenario", metavar="EVENTS", default=None,
              help="Replay one sequence of events, e.g. 'load:m,enable,disable,unload:m'.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--module-name", metavar="NAME", default=None)
def trace(files, scenario, fmt, module_name, **header):
    """Print the hook/callback calls the lifecycle model predicts for a patch (or stacked patches)."""
    from klplint.cli.run import run_trace  # start-up: the pipeline, for trace only
    try:
        config = build_config(files, module_name=module_name, **header)
    except ValueError as e:
        _fail(str(e))
    _kpatch_dispatch(files, config, lambda kp: kp.run_trace(files, config, scenario, fmt))
    # start-up: the pipeline's isolation, only for trace
    from klplint.pipeline import isolate
    try:        # a forked child, as for check: a crash or a too-deep input is one line, exit 2
        code = isolate.run(lambda: run_trace(files, config, scenario, fmt)) if isolate.enabled() else \
            isolate.deep(lambda: run_trace(files, config, scenario, fmt))
    except isolate.Isolated as e:
        click.echo(f"klplint trace: error: {e.reason}", err=True)
        code = 2
    except RecursionError:
        click.echo("klplint trace: error: nesting too deep to analyse", err=True)
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    main()
