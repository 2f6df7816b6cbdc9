"""Time `klplint check FIX.patch --kernel-src ...` on every corpus/kpatch diff (median of N runs, wall
and CPU), against linux-source-6.1 unpacked into the test cache and Debian's linux-headers-6.1."""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from kpatch_tree import diff_version, headers_dir, kpatch_diffs, kpatch_expectations, kpatch_tree  # noqa: E402


def _run(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.returncode, wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    env = dict(os.environ)
    env.pop("KLPLINT_STRICT", None)
    rows = []
    for diff in kpatch_diffs():
        text = diff.read_text()
        if kpatch_expectations(text)[1]:
            continue            # a diff that does not apply stops before any parse
        files = text.count("\n+++ ")
        src, headers = kpatch_tree(diff_version(diff)), headers_dir(diff_version(diff))
        cmd = [sys.executable, "-m", "klplint", "check", str(diff), "--kernel-src", str(src),
               "--kernel-dir", str(headers), "--no-cache"]
        runs = [_run(cmd, env) for _ in range(args.runs)]
        row = {"diff": os.path.relpath(diff, os.path.join(HERE, "..")), "files": files,
               "wall_s": statistics.median(r[1] for r in runs), "cpu_s": statistics.median(r[2] for r in runs),
               "exit": runs[0][0]}
        rows.append(row)
        print(f"{row['diff']:<64} {files} file{'s' if files > 1 else ' '}  wall {row['wall_s']:6.2f} s  "
              f"cpu {row['cpu_s']:6.2f} s  exit {row['exit']}", flush=True)
    print(f"median over {len(rows)} diffs: wall {statistics.median(r['wall_s'] for r in rows):.2f} s, "
          f"cpu {statistics.median(r['cpu_s'] for r in rows):.2f} s per patch")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
