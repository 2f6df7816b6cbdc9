"""Shows that a change of klplint's code changes none of its output: findings, paths, SARIF, trace.

    python scripts/same_output.py --base REV [--kernel-dir DIR] [--generated N] [--keep DIR]

Runs klplint from a checkout of REV (a temporary git worktree) and from this tree, on the same
inputs copied into one scratch folder (so both see the same relative paths), and compares every
output byte for byte:

* `check --no-cache --format json` and `--format sarif` over all inputs at once (findings, their
  lifecycle paths, fingerprints, fixes, tool errors and notes);
* `trace --format json` and `trace` (text) for each input, one file at a time;

in the bundled-headers mode and, when a kernel headers tree is given (or Debian's
linux-headers-amd64 is installed), with `--kernel-dir`. Inputs: corpus/, examples/, N modules from
bench/generate.py, and the kernel's own livepatch sources when Debian's linux-source-6.1 is
installed (extracted as the tests do). Exit 0 when everything is identical, 1 otherwise, with the
first differing lines of each differing output.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent


def inputs(scratch: Path, generated: int) -> List[str]:
    """Copies the inputs into scratch/ and returns their paths relative to it."""
    out: List[str] = []
    for sub in ("corpus", "examples"):
        for src in sorted(glob.glob(str(ROOT / sub / "**" / "*.c"), recursive=True)):
            rel = os.path.relpath(src, ROOT)
            dst = scratch / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
            out.append(rel)
    sys.path.insert(0, str(ROOT / "bench"))
    import generate  # noqa: E402  (bench/generate.py, a script folder, not a package)
    gen_dir = scratch / "generated"
    gen_dir.mkdir()
    for p in generate.generate(str(gen_dir), generated):
        out.append(os.path.relpath(p, scratch))
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from kernel_source import KernelSourceUnavailable, kernel_source_root
        try:
            kroot = Path(kernel_source_root())
        except KernelSourceUnavailable as e:
            print(f"kernel sources: skipped ({e})")
        else:
            for sub in ("samples/livepatch", "lib/livepatch"):
                for src in sorted(glob.glob(str(kroot / sub / "*.c"))):
                    dst = scratch / "kernel" / sub / os.path.basename(src)
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(src, dst)
                    out.append(os.path.relpath(dst, scratch))
    finally:
        sys.path.remove(str(ROOT / "tests"))
    return out


def default_kernel_dir() -> Optional[str]:
    for d in sorted(glob.glob("/usr/src/linux-headers-*-amd64")):
        if os.path.isfile(os.path.join(d, "Makefile")):
            return d
    return None


def run(tree: Path, args: List[str], cwd: Path, env: Dict[str, str]) -> str:
    e = dict(env, PYTHONPATH=str(tree))
    p = subprocess.run([sys.executable, "-m", "klplint", *args], cwd=cwd, env=e,
                       capture_output=True, text=True, timeout=1800)
    return f"exit {p.returncode}\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}"


def outputs(tree: Path, files: List[str], scratch: Path, kdir: Optional[str], home: Path) -> Dict[str, str]:
    env = dict(os.environ, KLPLINT_CACHE_DIR=str(home / "cache"), XDG_CACHE_HOME=str(home / "xdg"),
               KLPLINT_PCH_DIR=str(home / "pch"))
    env.pop("KLPLINT_STRICT", None)
    env.pop("KDIR", None)
    modes = {"bundled": []}
    if kdir:
        modes["kernel"] = ["--kernel-dir", kdir]
    jobs = {}
    for mode, extra in modes.items():
        for fmt in ("json", "sarif"):
            jobs[f"{mode}/check.{fmt}"] = ["check", "--no-cache", "--format", fmt, *extra, *files]
        for f in files:
            jobs[f"{mode}/trace.json/{f}"] = ["trace", "--format", "json", *extra, f]
            jobs[f"{mode}/trace.txt/{f}"] = ["trace", *extra, f]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futs = {k: pool.submit(run, tree, a, scratch, env) for k, a in jobs.items()}
        return {k: f.result() for k, f in futs.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="git revision to compare with (e.g. main~3)")
    ap.add_argument("--kernel-dir", default=None, help="kernel headers tree (default: Debian's, if installed)")
    ap.add_argument("--no-kernel-dir", action="store_true", help="bundled headers only")
    ap.add_argument("--generated", type=int, default=40, help="generated modules (bench/generate.py)")
    ap.add_argument("--keep", default=None, help="write both sets of outputs below this folder")
    a = ap.parse_args(argv)
    kdir = None if a.no_kernel_dir else (a.kernel_dir or default_kernel_dir())
    with tempfile.TemporaryDirectory(prefix="klplint-same-") as tmp:
        tmp_path = Path(tmp)
        base_tree = tmp_path / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base_tree), a.base],
                       check=True)
        try:
            scratch = tmp_path / "inputs"
            scratch.mkdir()
            files = inputs(scratch, a.generated)
            print(f"inputs: {len(files)} files; modes: bundled" + (f", --kernel-dir {kdir}" if kdir else ""))
            before = outputs(base_tree, files, scratch, kdir, tmp_path / "home-base")
            after = outputs(ROOT, files, scratch, kdir, tmp_path / "home-new")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], check=False)
        if a.keep:
            for name, outs in (("base", before), ("new", after)):
                for k, v in outs.items():
                    p = Path(a.keep) / name / k
                    p.parent.mkdir(parents=True, exist_ok=True)
                    p.write_text(v)
    differ = [k for k in before if before[k] != after.get(k)]
    findings = sum(v.count('"rule":') for k, v in before.items() if k.endswith("check.json"))
    print(f"outputs compared: {len(before)} (check json/sarif per mode, trace json/text per file); "
          f"findings in the json outputs: {findings}")
    for k in differ:
        print(f"DIFFERENT: {k}")
        for line in list(difflib.unified_diff(before[k].splitlines(), after[k].splitlines(), "base", "new",
                                              lineterm="", n=1))[:20]:
            print("    " + line)
    print("identical" if not differ else f"{len(differ)} outputs differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
