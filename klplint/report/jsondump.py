"""JSON for reports: indented like `json.dumps(indent=2)` down to the long lists (SARIF's results,
JSON's findings), whose items are written one per line by the C encoder. Indenting every level
goes through the json module's pure-Python encoder, which was most of the time of a large report."""
from __future__ import annotations

import json
from typing import Any, List

_ITEM = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": "))


def dumps(obj: Any, one_line_items=("results", "findings")) -> str:
    out: List[str] = []
    _write(obj, "", out, frozenset(one_line_items), False)
    return "".join(out)


def _write(v: Any, indent: str, out: List[str], keys, items_one_line: bool) -> None:
    inner = indent + "  "
    if isinstance(v, dict) and v:
        out.append("{\n")
        last = len(v) - 1
        for i, (k, x) in enumerate(v.items()):
            out.append(f"{inner}{json.dumps(k)}: ")
            _write(x, inner, out, keys, k in keys)
            out.append(",\n" if i < last else "\n")
        out.append(indent + "}")
    elif isinstance(v, list) and v:
        out.append("[\n")
        last = len(v) - 1
        for i, x in enumerate(v):
            out.append(inner)
            if items_one_line:
                out.append(_ITEM.encode(x))
            else:
                _write(x, inner, out, keys, False)
            out.append(",\n" if i < last else "\n")
        out.append(indent + "]")
    else:
        out.append(_ITEM.encode(v))
