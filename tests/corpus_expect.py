"""Inline expectations of corpus files (`// expect KLP201`, `// expect@+1 KLP104`, `// expect-no-findings`)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Counter as CounterT, Tuple

_EXPECT = re.compile(r"expect(@[+-]\d+)?((?:\s+KLP\d{3})+)")
_NONE = re.compile(r"expect-no-findings")


def expectations(text: str) -> Tuple[CounterT, bool]:
    """Counter of (rule, line) the file expects, and whether it declares expect-no-findings."""
    want: CounterT = Counter()
    none = False
    for lineno, line in enumerate(text.splitlines(), 1):
        idx = line.find("//")
        cidx = line.find("/*")
        comment = line[min(i for i in (idx, cidx) if i >= 0):] if (idx >= 0 or cidx >= 0) else ""
        if not comment and line.lstrip().startswith("*"):   # inside a /* ... */ block
            comment = line
        if not comment:
            continue
        if _NONE.search(comment):
            none = True
            continue
        for m in _EXPECT.finditer(comment):
            offset = int(m.group(1)[1:]) if m.group(1) else 0
            for rid in m.group(2).split():
                want[(rid, lineno + offset)] += 1
    return want, none
