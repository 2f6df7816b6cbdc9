#!/usr/bin/env python3
"""Stress test on real kernel C: lower every function of kernel .c files against their kernel's headers and
execute each body as if it were a hook; count Python exceptions (must be zero), functions lowered completely,
and the constructs that remain unsupported.

    python scripts/stress_kernel.py [--version 6.1|6.12] [--files N] [--dirs kernel,mm,...] [--frontend F]

The .c files come from Debian's linux-source-<version> tarball, extracted (only the folders named)
into a cache outside the repository; the generated headers and kbuild flags come from Debian's
linux-headers-<version>*-amd64 (--kernel-dir). Exit status 1 when any exception escaped.
"""
from __future__ import annotations

import argparse
import collections
import glob
import os
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from klplint import ir  # noqa: E402
from klplint.config.settings import Budgets, Config  # noqa: E402
from klplint.frontend import FrontendError, parse  # noqa: E402
from klplint.ir.util import c_terms, walk  # noqa: E402

DIRS = ("kernel", "mm", "fs", "net/ipv4", "drivers/char")


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "klplint-stress")


def headers_dir(version: str) -> str:
    found = sorted(glob.glob(f"/usr/src/linux-headers-{version}.[0-9]*-amd64"))
    if not found:
        sys.exit(f"stress_kernel: linux-headers-{version}*-amd64 is not installed")
    return found[-1]


def sources(version: str, dirs) -> str:
    """The tree's .c files of `dirs` (top level of each folder) and their local headers, extracted once."""
    tarball = f"/usr/src/linux-source-{version}.tar.xz"
    if not os.path.isfile(tarball):
        sys.exit(f"stress_kernel: {tarball} is not installed (apt-get install linux-source-{version})")
    top = f"linux-source-{version}"
    dest = os.path.join(cache_dir(), top)
    stamp = os.path.join(dest, ".klplint-stress-" + "_".join(d.replace("/", "-") for d in dirs))
    if not os.path.isfile(stamp):
        os.makedirs(cache_dir(), exist_ok=True)
        pats = [f"{top}/{d}/*.{ext}" for d in dirs for ext in ("c", "h")]
        proc = subprocess.run(["tar", "-xf", tarball, "-C", cache_dir(), "--wildcards", "--no-same-owner",
                               "--no-wildcards-match-slash"] + pats, capture_output=True, text=True)
        if proc.returncode not in (0, 2):      # 2: a folder without .h files
            sys.exit(f"stress_kernel: extracting from {tarball} failed: {proc.stderr.strip()}")
        open(stamp, "w").close()
    return dest


def _built_in_flags():
    """The tree's files are built into the kernel, not as modules: kbuild's flags without -DMODULE
    (early_param(), __setup() and friends exist only there). Returns what undoes it."""
    from klplint.frontend import flags as flagmod
    module_flags = flagmod.flags_for

    def built_in(path, config):
        return [a for a in module_flags(path, config) if a != "-DMODULE"]
    flagmod.flags_for = built_in        # the front ends call it as flagmod.flags_for

    def undo():
        flagmod.flags_for = module_flags
    return undo


def pick(root: str, dirs, n: int):
    files = []
    for d in dirs:
        files += sorted(glob.glob(os.path.join(root, d, "*.c")))
    if n and len(files) > n:
        step = len(files) / n
        files = [files[int(i * step)] for i in range(n)]
    return files


def execute_all(unit, stats, exceptions, path):
    """Every function body run once as a pre_patch callback would be."""
    from klplint.analysis import kapi
    from klplint.analysis.budget import Budget
    from klplint.analysis.context import StepCtx
    from klplint.analysis.execute import Executor
    from klplint.analysis.state import State
    from klplint.patch.extract import extract
    module = extract(unit, Config())
    # each function has its own 1500 statements; the file's work budget would stop a file of many
    # functions part way, so only the clock bounds the file here
    ex = Executor(module, Budgets(max_statements=1500, scenario_statements=10 ** 9, file_statements=10 ** 9),
                  kapi.lookup, deadline=time.monotonic() + 30)
    for f in unit.functions:
        if f.body is None or f.loc.file != path:
            continue
        stats["executed"] += 1
        try:
            ex.ctx = StepCtx("pre_patch", f.name, None, in_hook=True, cnt0=0)
            ex.base_depth = 1
            ex.stmts = 0
            ex.call_function(f, (), State(), 1)
        except Budget:
            stats["budget"] += 1
        except RecursionError:
            stats["recursion"] += 1
        except Exception as e:  # noqa: BLE001 - what the stress test is for
            exceptions.append((path, f.name, "execute", f"{type(e).__name__}: {e}", traceback.format_exc(limit=4)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default="6.1")
    ap.add_argument("--files", type=int, default=300, help="how many .c files (spread over the folders; 0: all)")
    ap.add_argument("--dirs", default=",".join(DIRS))
    ap.add_argument("--frontend", default="libclang", choices=("libclang", "pycparser"))
    ap.add_argument("--no-execute", action="store_true", help="only lower")
    args = ap.parse_args(argv)
    dirs = tuple(d for d in args.dirs.split(",") if d)
    root = sources(args.version, dirs)
    kdir = headers_dir(args.version)
    files = pick(root, dirs, args.files)
    config = Config(frontend=args.frontend, kernel_dir=kdir)
    saved_env = {k: os.environ.get(k) for k in ("KLPLINT_STRICT", "KLPLINT_NO_PCH")}
    os.environ.pop("KLPLINT_STRICT", None)
    os.environ["KLPLINT_NO_PCH"] = "1"      # each file has its own preamble: a PCH per file costs more than it saves
    undo = _built_in_flags()
    try:
        return _run(args, root, kdir, files, config)
    finally:
        undo()
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run(args, root, kdir, files, config) -> int:
    stats = collections.Counter()
    unsupported = collections.Counter()
    exceptions = []
    t0 = time.monotonic()
    for path in files:
        stats["files"] += 1
        t1 = time.monotonic()
        try:
            unit = parse(path, config)
        except FrontendError as e:
            stats["files refused"] += 1
            unsupported[f"(file refused) {e.reason.split(':')[0][:60]}"] += 1
            continue
        except Exception as e:  # noqa: BLE001
            exceptions.append((path, "", "lower", f"{type(e).__name__}: {e}", traceback.format_exc(limit=4)))
            continue
        if any(n.kind == "diagnostic" for n in unit.notes):
            stats["files with parse errors"] += 1
        for f in unit.functions:
            if f.body is None or f.loc.file != path:
                continue
            stats["functions"] += 1
            bad = [n for n in walk(f.body) if isinstance(n, (ir.Unsupported, ir.UnsupportedStmt))]
            if bad:
                for n in bad:
                    unsupported[c_terms(n.what)] += 1
            else:
                stats["lowered completely"] += 1
        t2 = time.monotonic()
        stats["lower s"] += t2 - t1
        if not args.no_execute:
            execute_all(unit, stats, exceptions, path)
            stats["execute s"] += time.monotonic() - t2
    dt = time.monotonic() - t0
    print(f"linux-source-{args.version} with {os.path.basename(kdir)}, {args.frontend}, {dt:.0f} s "
          f"(lowering {stats['lower s']:.0f} s, executing {stats['execute s']:.0f} s)")
    print(f"  {stats['files']} files ({stats['files refused']} refused, {stats['files with parse errors']} with "
          f"parse errors), {stats['functions']} functions, {stats['lowered completely']} lowered completely "
          f"({100.0 * stats['lowered completely'] / max(stats['functions'], 1):.1f}%)")
    if not args.no_execute:
        print(f"  executed {stats['executed']} function bodies as hooks: {stats['budget']} stopped by a budget, "
              f"{stats['recursion']} too deep")
    print(f"  Python exceptions: {len(exceptions)}")
    for path, fn, phase, msg, tb in exceptions[:20]:
        print(f"    {phase} {os.path.relpath(path, root)} {fn}: {msg}")
        print("      " + tb.strip().splitlines()[-2].strip())
    if unsupported:
        print("  constructs not lowered (occurrences):")
        for what, n in unsupported.most_common():
            print(f"    {n:6d}  {what}")
    return 1 if exceptions else 0


if __name__ == "__main__":
    sys.exit(main())
