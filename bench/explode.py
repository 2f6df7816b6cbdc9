#!/usr/bin/env python3
"""The executor's budget on modules shaped to explode: seconds and peak memory per module.

Each module of tests/explode/ is analysed end to end (`analyze_file`: parse, extract, rules, the
lifecycle engine) in a fresh Python process, one after the other. Printed per module: wall and CPU
seconds, the process's peak resident memory (VmHWM, read from /proc before the process ends, or
ru_maxrss), the number of findings and the KLP213 notes saying which budget ran out. A process
still running after --timeout seconds is killed and shown as such (its peak memory so far).

    python bench/explode.py                       # the tree this script is in
    python bench/explode.py --tree /tmp/old       # another checkout (PYTHONPATH=that tree)
    python bench/explode.py --timeout 120 --runs 3 --json out.json

No figure from here belongs in a test: the tests (tests/test_budget.py) assert the notes, the
determinism and a memory bound, never a duration.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MODULES = os.path.join(REPO, "tests", "explode")

# Run in the child: the analysis, then one JSON line on stdout.
CHILD = r"""
import json, sys, time
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file
t0, c0 = time.perf_counter(), time.process_time()
r = analyze_file(sys.argv[1], Config())
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "findings": len(r.findings), "errors": [e.reason for e in r.errors],
                  "klp213": sorted({f.message.split(": ", 1)[-1] for f in r.findings if f.rule == "KLP213"})}))
"""


def _hwm_kb(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run_one(path: str, tree: str, timeout: float) -> Dict:
    env = dict(os.environ, PYTHONPATH=tree, KLPLINT_STRICT="0")
    p = subprocess.Popen([sys.executable, "-c", CHILD, path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, cwd=tree, text=True)
    start = time.perf_counter()
    hwm = None
    killed = False
    while p.poll() is None:
        hwm = _hwm_kb(p.pid) or hwm
        if time.perf_counter() - start > timeout:
            p.kill()
            killed = True
            break
        time.sleep(0.05)
    out, err = p.communicate()
    wall = time.perf_counter() - start
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)   # cumulative; the per-process figure is hwm
    row: Dict = {"module": os.path.basename(path), "killed": killed, "wall": wall, "peak_mb": None}
    if hwm is not None:
        row["peak_mb"] = hwm / 1024
    if not killed:
        try:
            row.update(json.loads(out.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            row["failed"] = (err.strip().splitlines() or ["no output"])[-1]
    row["ru_maxrss_mb"] = ru.ru_maxrss / 1024
    return row


def measure(modules: List[str], tree: str = REPO, timeout: float = 120.0, runs: int = 1):
    """The table's lines and every run's figures (also bench/run.py's set `explode`)."""
    lines = [f"klplint tree {tree}; load average {os.getloadavg()[0]:.1f}; timeout {timeout:g} s",
             f"{'module':28} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'findings':>8}  KLP213 budget notes"]
    rows: List[Dict] = []
    for m in modules:
        got = [run_one(m, tree, timeout) for _ in range(runs)]
        rows += got
        ok = [r for r in got if not r["killed"] and "seconds" in r]
        peak = max((r["peak_mb"] or 0) for r in got)
        if not ok:
            why = "killed" if got[-1]["killed"] else got[-1].get("failed", "?")
            lines.append(f"{os.path.basename(m):28} {'>' + format(timeout, 'g'):>8} {'':>8} {peak:8.0f} {'':>8}  "
                         f"({why}; peak memory so far)")
            continue
        wall = statistics.median(r["seconds"] for r in ok)
        cpu = statistics.median(r["cpu"] for r in ok)
        notes = "; ".join(n for n in ok[0]["klp213"] if "budget" in n or "more than" in n) or "-"
        if ok[0]["errors"]:
            notes = "error: " + "; ".join(ok[0]["errors"])
        lines.append(f"{os.path.basename(m):28} {wall:8.2f} {cpu:8.2f} {peak:8.0f} {ok[0]['findings']:8d}  {notes}")
    lines.append(f"load average at the end {os.getloadavg()[0]:.1f}")
    return lines, rows


def modules_of(paths: List[str]) -> List[str]:
    return [os.path.abspath(m) for m in paths] or sorted(glob.glob(os.path.join(MODULES, "*.c")))


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", default=REPO, help="the klplint checkout to run (default: this one)")
    ap.add_argument("--timeout", type=float, default=120.0, help="kill a module's process after this many s")
    ap.add_argument("--runs", type=int, default=1, help="runs per module (the median is shown)")
    ap.add_argument("--json", help="also write every run as JSON")
    ap.add_argument("modules", nargs="*", help="default: tests/explode/*.c of this checkout")
    a = ap.parse_args(argv)
    lines, rows = measure(modules_of(a.modules), a.tree, a.timeout, a.runs)
    print("\n".join(lines))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
