"""Times klplint's engine phase (extract + structural rules + lifecycle engine) of two revisions, interleaved.

    python bench/engine_compare.py --base REV [--runs 9] [--kernel-dir DIR] [--json out.json]

The base revision is checked out into a temporary git worktree; each side runs in its own
long-lived worker process (`PYTHONPATH` set to its tree, so the worker imports that tree's klplint).
Both workers parse the same files once up front (parsing is not timed: it is not the engine), then
the parent asks them for timed passes in turn, base and current alternating and the order swapped
every run, so a change in the machine's load hits both alike. Files: the corpus with the bundled
headers, and the kernel's own livepatch modules (samples/livepatch, lib/livepatch of Debian's
linux-source-6.1, extracted as the tests do) with `--kernel-dir` on Debian's linux-headers.
Printed, per set and in total: the median pass time of each side, their ratio current / base, and
the median of the per-run ratios (passes run back to back). Both CPU time of the worker process and
wall time are given: on a shared machine the CPU time is the figure to read (it does not count the
time the worker waited for a core).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ------------------------------------------------------------------ the worker (one per revision)

def worker(spec_json: str) -> None:
    """Reads `pass` or `done` a line on stdin; answers each pass with one JSON line of timings."""
    spec = json.loads(spec_json)
    os.environ.pop("KLPLINT_STRICT", None)
    import klplint
    from klplint.config.settings import Config
    from klplint.frontend import FrontendError, parse
    from klplint.patch.extract import extract
    from klplint.pipeline import analyze_file as analyze
    if hasattr(analyze, "engine_findings"):         # the rule registry (integ since a58c254)
        def engine_phase(module, config) -> int:
            analyze.structural_findings(module, config)
            return len(analyze.engine_findings(module, config))
    else:                                           # the structural check list (main at 7f54864)
        from klplint.rules import STRUCTURAL_CHECKS
        from klplint.rules.registry import enabled

        def engine_phase(module, config) -> int:
            for rule_id, check in STRUCTURAL_CHECKS:
                if enabled(rule_id, config.select, config.ignore):
                    check(module)
            return len(analyze._behaviour(module, config)) if module.patches else 0

    units = []          # (set name, path, config, unit)
    for name, files, kdir in spec["sets"]:
        config = Config(kernel_dir=kdir) if kdir else Config()
        for path in files:
            try:
                units.append((name, path, config, parse(path, config)))
            except FrontendError:
                pass            # same on both sides: the file is skipped by both

    def one_pass() -> Dict[str, object]:
        per_set: Dict[str, float] = {}
        cpu: Dict[str, float] = {}
        findings = 0
        for name, _path, config, unit in units:
            t0, c0 = time.perf_counter(), time.process_time()
            findings += engine_phase(extract(unit, config), config)
            per_set[name] = per_set.get(name, 0.0) + time.perf_counter() - t0
            cpu[name] = cpu.get(name, 0.0) + time.process_time() - c0
        return {"sets": per_set, "cpu": cpu, "findings": findings}

    print(json.dumps({"klplint": os.path.dirname(klplint.__file__), "files": len(units)}), flush=True)
    for line in sys.stdin:
        if line.strip() != "pass":
            break
        print(json.dumps(one_pass()), flush=True)


# ------------------------------------------------------------------ the parent

class Side:
    def __init__(self, label: str, tree: str, spec: dict):
        env = dict(os.environ, PYTHONPATH=tree, PYTHONHASHSEED="0")
        self.label = label
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(spec)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                     cwd=tree)
        self.hello = self._read()
        self.passes: List[dict] = []

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"engine_compare: the {self.label} worker ended early")
        return json.loads(line)

    def run_pass(self) -> dict:
        self.proc.stdin.write("pass\n")
        self.proc.stdin.flush()
        r = self._read()
        self.passes.append(r)
        return r

    def close(self) -> None:
        try:
            self.proc.stdin.write("done\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait()


def kernel_dir(arg: Optional[str]) -> Optional[str]:
    if arg:
        return arg
    found = sorted(d for d in glob.glob("/usr/src/linux-headers-*-amd64") if os.path.isfile(os.path.join(d, "Makefile")))
    return found[-1] if found else None


def file_sets(kdir: Optional[str]) -> list:
    sets = [("corpus", sorted(glob.glob(os.path.join(REPO, "corpus", "**", "*.c"), recursive=True)), None)]
    sys.path.insert(0, os.path.join(REPO, "tests"))
    from kernel_source import (
        KernelSourceUnavailable,
        extract_kernel_source,
        livepatch_module_sources,
    )
    try:
        kfiles = [str(p) for p in livepatch_module_sources(extract_kernel_source())]
    except KernelSourceUnavailable as e:
        print(f"kernel sources: skipped ({e})")
        kfiles = []
    if kfiles and kdir:
        sets.append(("kernel", kfiles, kdir))
    elif kfiles:
        print("kernel sources: skipped (no kernel headers tree; --kernel-dir)")
    return sets


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="the revision to compare with (e.g. main)")
    ap.add_argument("--runs", type=int, default=9, help="timed passes per side (default 9)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed passes per side first (default 1)")
    ap.add_argument("--kernel-dir", help="kernel headers tree for the kernel set (default: Debian's)")
    ap.add_argument("--json", help="also write every pass's figures here")
    args = ap.parse_args(argv)

    sets = file_sets(kernel_dir(args.kernel_dir))
    spec = {"sets": sets}
    tmp = tempfile.mkdtemp(prefix="klplint-engine-compare-")
    base_tree = os.path.join(tmp, "base")
    subprocess.run(["git", "-C", REPO, "worktree", "add", "--detach", "--quiet", base_tree, args.base], check=True)
    sides: List[Side] = []
    try:
        sides = [Side("base", base_tree, spec), Side("current", REPO, spec)]
        for s in sides:
            print(f"{s.label}: klplint from {s.hello['klplint']}, {s.hello['files']} files parsed")
        for _ in range(args.warmup):
            for s in sides:
                s.run_pass()
        for s in sides:
            s.passes.clear()
        for i in range(args.runs):
            for s in (sides if i % 2 == 0 else sides[::-1]):
                s.run_pass()
    finally:
        for s in sides:
            s.close()
        subprocess.run(["git", "-C", REPO, "worktree", "remove", "--force", base_tree], check=False)
        os.rmdir(tmp) if os.path.isdir(tmp) and not os.listdir(tmp) else None

    base, cur = sides
    if {p["findings"] for p in base.passes} != {p["findings"] for p in cur.passes}:
        print(f"note: finding counts differ: base {base.passes[0]['findings']}, current {cur.passes[0]['findings']}")
    names = [n for n, _, _ in sets] + ["total"]

    def figure(p: dict, clock: str, name: str) -> float:
        return sum(p[clock].values()) if name == "total" else p[clock].get(name, 0.0)

    print(f"\nengine phase (extract + structural rules + lifecycle engine), {args.runs} interleaved passes "
          f"per side; medians in seconds; 'paired' is the median of the ratios of passes run back to back")
    for clock, title in (("cpu", "CPU time of the worker (process_time)"), ("sets", "wall time (perf_counter)")):
        print(f"\n{title}")
        print(f"{'set':10} {'base ' + args.base:>16} {'current':>12} {'ratio':>8} {'paired':>8}")
        for n in names:
            bs = [figure(p, clock, n) for p in base.passes]
            cs = [figure(p, clock, n) for p in cur.passes]
            b, c = statistics.median(bs), statistics.median(cs)
            paired = statistics.median(y / x for x, y in zip(bs, cs) if x)
            print(f"{n:10} {b:16.3f} {c:12.3f} {c / b if b else float('nan'):8.3f} {paired:8.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"base": args.base, "sets": {n: len(fs) for n, fs, _ in sets},
                       "passes": {"base": base.passes, "current": cur.passes}}, f, indent=1)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        sys.exit(main())
