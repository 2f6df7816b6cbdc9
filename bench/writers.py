"""How the report writers scale with the findings of one file: N findings in one source file,
rendered as text, JSON and SARIF; prints seconds per format and the ratio to text.

    python bench/writers.py --findings 1000,5000,25000

(SARIF past 25,000 results is cut at code scanning's limit, so the largest size is 25,000.)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from klplint.config.settings import Config  # noqa: E402
from klplint.findings import Finding, PathStep  # noqa: E402
from klplint.location import Location  # noqa: E402
from klplint.pipeline.result import FileResult  # noqa: E402
from klplint.report import render  # noqa: E402


def results(path: str, n: int, lines: int):
    out = []
    for i in range(n):
        loc = Location(path, 1 + i % lines, 1 + i % 40)
        out.append(Finding("KLP204", "warning", f"finding {i}", loc, function=f"f{i % 50}",
                           path=(PathStep(loc, "step one"), PathStep(loc, "step two")), scenario="enable,disable"))
    return [FileResult(path, findings=out)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--findings", default="1000,5000,25000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "many.c")
        lines = 5000
        with open(path, "w") as f:
            f.write("".join(f"int v{i} = {i}; /* é */\n" for i in range(lines)))
        os.chdir(d)
        print(f"{'findings':>9} {'text s':>8} {'json s':>8} {'sarif s':>8} {'json/text':>9} {'sarif/text':>10}")
        for n in (int(x) for x in args.findings.split(",")):
            rs = results("many.c", n, lines)
            best = {}
            for fmt in ("text", "json", "sarif"):
                times = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    render(fmt, rs, [], Config())
                    times.append(time.perf_counter() - t)
                best[fmt] = min(times)
            print(f"{n:>9} {best['text']:>8.3f} {best['json']:>8.3f} {best['sarif']:>8.3f} "
                  f"{best['json'] / best['text']:>9.1f} {best['sarif'] / best['text']:>10.1f}")


if __name__ == "__main__":
    main()
