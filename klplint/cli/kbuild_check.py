"""`klplint kbuild-check`: the checker kbuild runs for `make C=1` / `make C=2`, as it runs sparse.

    make -C /usr/src/linux-headers-$(uname -r) M=$PWD C=2 CHECK="klplint kbuild-check"

kbuild runs `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c` from the kernel build tree, once per C file
(C=1: files being recompiled, C=2: all of them). CHECKFLAGS are sparse's own (`-D__linux__ -Dlinux
-D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void -Wno-unknown-attribute -D__x86_64__
--arch=x86 -mlittle-endian -m64` with Debian's 6.1 tree, plus anything in CF=): they are dropped.
`c_flags` are the compiler's flags for that file: they go through flags.safe_flags (never -Xclang,
-fplugin, -load, -mllvm, ...; GCC-only flags dropped), relative paths resolved against kbuild's
working directory, and the module name comes from -DKBUILD_MODNAME. Findings are printed to
stderr in klplint's text format, like sparse's warnings; the exit code follows --fail-on (a
failing checker stops make, so `--fail-on never` only reports).

Only long options are klplint's (--fail-on, --select, --ignore, --config, --frontend,
--server/--no-server): every other argument is taken as a compiler flag or a file. By default the call
goes to a warm process that stays up between calls and starts itself (kbuild_server.py): the same
output, without paying Python's and klplint's start-up once per file; `--no-server` or
KLPLINT_SERVER=0 analyse in the calling process.
"""
from __future__ import annotations

import os
import sys
from typing import List, Optional, Sequence, Tuple

import click

from klplint.cli.main import _split
from klplint.config.files import load_config
from klplint.config.settings import LEVELS
from klplint.findings import LEVEL_RANK
from klplint.frontend.flags import kbuild_line_to_clang
from klplint.pipeline.analyze_file import analyze_file_safely
from klplint.pipeline.collect import is_livepatch_source
from klplint.pipeline.result import FileResult
from klplint.report.text import render, render_errors

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# What the kernel's top Makefile and arch Makefiles put in CHECKFLAGS for sparse. clang defines the
# target macros itself, and redefining __STDC__ is an error there.
SPARSE_CHECKFLAGS = {"-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix", "-D__unix__", "-D__x86_64__",
                     "-D__i386__", "-D__arm__", "-D__aarch64__", "-D__powerpc__", "-D__s390__", "-D__s390x__",
                     "-D__riscv", "-D__mips__", "-mlittle-endian", "-mbig-endian"}
_SPARSE_PREFIXES = ("--arch=", "-Wsparse", "-Wno-sparse", "-fdiagnostic-prefix", "-fmemcpy-max-count",
                    "-fmax-warnings", "-fmax-errors", "-Wbitwise", "-Wno-return-void", "-Wno-unknown-attribute",
                    "-Wcontext", "-Wno-context")
# Flags whose value is the next argument (so the value is not taken for a file).
_WITH_ARG = {"-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-D", "-U", "-o", "-MF",
             "-MT", "-MQ", "-Xclang", "-Xlinker", "-Xassembler", "-Xpreprocessor", "-load", "-plugin",
             "-fplugin", "-x", "-arch", "-specs", "-B", "-L", "-l", "-mllvm", "-include-pch", "-aux-info",
             "-dumpdir", "-dumpbase", "-target", "--target"}
_SOURCE_SUFFIXES = (".c", ".i")


def split_command(args: Sequence[str]) -> Tuple[List[str], List[str], Optional[str]]:
    """(compiler flags without sparse's CHECKFLAGS, source files, module name) of a checker command."""
    flags: List[str] = []
    files: List[str] = []
    modname: Optional[str] = None
    i = 0
    args = list(args)
    while i < len(args):
        a = args[i]
        if a in _WITH_ARG and i + 1 < len(args):
            if a == "-D":
                modname = _modname(args[i + 1]) or modname
            flags += [a, args[i + 1]]
            i += 2
            continue
        if a in SPARSE_CHECKFLAGS or a.startswith(_SPARSE_PREFIXES):
            pass
        elif a.startswith("-D"):
            modname = _modname(a[2:]) or modname
            flags.append(a)
        elif not a.startswith("-") and a.endswith(_SOURCE_SUFFIXES):
            files.append(a)
        else:
            flags.append(a)
        i += 1
    return flags, files, modname


def _modname(define: str) -> Optional[str]:
    if define.startswith("KBUILD_MODNAME="):
        value = define.split("=", 1)[1].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        return value or None
    return None


@click.command("kbuild-check", context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                                 "allow_interspersed_args": True,
                                                 "help_option_names": ["--help"]})
@click.option("--fail-on", type=click.Choice(LEVELS + ("never",)), default=None,
              help="Exit 1 when a finding at or above this level remains (default: the config's, else "
                   "warning); 'never' only reports.")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rules (ids or prefixes).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rules (ids or prefixes).")
@click.option("--config", "config_file", metavar="FILE", default=None,
              help="Settings file (default: the nearest .klplint.toml / pyproject.toml to the source).")
@click.option("--frontend", type=click.Choice(["libclang", "pycparser"]), default=None)
@click.option("--server/--no-server", default=True,
              help="Reuse a warm background process across calls (the default; KLPLINT_SERVER=0 also turns "
                   "it off); see kbuild_server.py.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def kbuild_check(fail_on, select, ignore, config_file, frontend, server, args):
    """Check one C file the way kbuild runs sparse: `make C=1 CHECK="klplint kbuild-check" M=...`.

    Takes the compiler's flags and the file, as kbuild passes them."""
    flags, files, modname = split_command(args)
    if not files:
        click.echo("klplint kbuild-check: error: no C file among the arguments "
                   "(kbuild runs $(CHECK) $(CHECKFLAGS) $(c_flags) file.c)", err=True)
        sys.exit(EXIT_ERROR)
    extra = tuple(kbuild_line_to_clang(flags, os.getcwd()))
    try:
        config = load_config(files, config_file, {
            "select": _split(select), "ignore": _split(ignore),
            "fail_on": fail_on if fail_on in LEVELS else None,
            "frontend": frontend, "module_name": modname})
    except ValueError as e:
        click.echo(f"klplint kbuild-check: error: {e}", err=True)
        sys.exit(EXIT_ERROR)
    # kbuild's own flags name the headers: a kernel-dir or compile database from a config is not used.
    config = config.with_(extra_flags=extra, kernel_dir=None, compile_commands_dir=None)

    # a C file that is not a livepatch module (the rest of the kernel's C=2) passes without a parse
    results = [analyze_file_safely(f, config) if is_livepatch_source(f) else FileResult(f, skipped=True)
               for f in files]
    for r in results:
        r.module = None
    sys.stderr.write(render(results, [], config))
    sys.stderr.write(render_errors(results, []))
    for r in results:
        for n in r.notes:
            sys.stderr.write(f"{n.path}:{n.line}: note: {n.reason}\n")
    if any(r.errors for r in results):
        sys.exit(EXIT_ERROR)
    if fail_on != "never":
        threshold = LEVEL_RANK[config.fail_on]
        if any(LEVEL_RANK[f.level] >= threshold for r in results for f in r.findings):
            sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)
