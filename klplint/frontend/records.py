"""The struct layouts a file's globals reach (ir.TranslationUnit.records), computed the same way by both front ends."""
from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional, Tuple

from klplint import ir

MAX_DEPTH = 2     # klp_patch -> klp_object -> klp_func / klp_callbacks: enough for positional initializers

FieldsOf = Callable[[str], Optional[List[Tuple[str, ir.Type]]]]


def reachable_records(global_types: Iterable[ir.Type], fields_of: FieldsOf) -> tuple:
    """(struct name, field names) for every named struct/union reachable from global_types through
    pointers, arrays and fields, up to MAX_DEPTH levels; fields_of(name) gives a struct's
    (field name, field type) list, or None when the front end has no complete definition."""
    out: Dict[str, tuple] = {}
    todo = list(global_types)
    depth = {id(t): 0 for t in todo}
    seen_types = set()
    while todo:
        t = todo.pop()
        d = depth.get(id(t), 0)
        while t is not None and t.kind in ("ptr", "array"):
            t = t.target
        if t is None or t.kind not in ("struct", "union") or not t.name or t.name in out or d > MAX_DEPTH:
            continue
        fields = fields_of(t.name)
        if fields is None:
            continue
        out[t.name] = tuple(name for name, _ in fields)
        for _, sub in fields:
            if id(sub) not in seen_types:
                seen_types.add(id(sub))
                depth[id(sub)] = d + 1
                todo.append(sub)
    return tuple(sorted(out.items()))
