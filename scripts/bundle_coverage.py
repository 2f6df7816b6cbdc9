#!/usr/bin/env python3
"""How much of real kernel C the bundled model headers cover: the share of `#include <...>` lines of
a set of .c files that name a header the bundle has (and of files all of whose includes resolve).

    python scripts/bundle_coverage.py DIR_OR_FILE... [--top N]

Quoted includes ("local.h") are left out: they name files next to the source, not kernel headers.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from klplint.frontend.flags import BUNDLED_INCLUDE  # noqa: E402

_INCLUDE = re.compile(r'^\s*#\s*include\s*<([^>]+)>', re.M)


def c_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for d, _, names in os.walk(p):
                yield from (os.path.join(d, n) for n in sorted(names) if n.endswith(".c"))
        elif p.endswith(".c"):
            yield p


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--top", type=int, default=25, help="list the N most included headers the bundle lacks")
    args = ap.parse_args(argv)
    total = found = files = complete = 0
    missing = collections.Counter()
    for path in c_files(args.paths):
        with open(path, encoding="utf-8", errors="replace") as f:
            names = _INCLUDE.findall(f.read())
        files += 1
        ok = [n for n in names if os.path.isfile(os.path.join(BUNDLED_INCLUDE, n))]
        total += len(names)
        found += len(ok)
        complete += len(ok) == len(names)
        missing.update(n for n in names if n not in ok)
    if not files:
        print("no .c files", file=sys.stderr)
        return 2
    print(f"{files} files, {total} #include <...> lines: {found} resolve in the bundle "
          f"({100.0 * found / max(total, 1):.1f}%); {complete} files ({100.0 * complete / files:.1f}%) "
          "have all their includes in it")
    for name, n in missing.most_common(args.top):
        print(f"  {n:5d}  <{name}>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
