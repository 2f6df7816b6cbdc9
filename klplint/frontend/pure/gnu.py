"""GNU C for the pycparser front end: lifts attributes out of the token stream (kept aside), normalizes keyword spellings, marks typeof/asm/statement attributes for the parser, and writes the text pycparser reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from klplint.frontend.pure.preprocess import Tok

# Alternate keyword spellings GCC and clang accept.
ALIASES = {
    "__inline": "inline", "__inline__": "inline", "__restrict": "restrict", "__restrict__": "restrict",
    "__const": "const", "__const__": "const", "__volatile": "volatile", "__volatile__": "volatile",
    "__signed": "signed", "__signed__": "signed", "__alignof__": "_Alignof", "__alignof": "_Alignof",
    "__thread": "_Thread_local", "asm": "__asm__", "__asm": "__asm__", "__complex__": "_Complex",
    "__noreturn__": "_Noreturn",
}
DROPPED = {"__extension__"}
TYPEOF = {"typeof", "__typeof__", "__typeof"}
STATEMENT_ATTRIBUTES = {"fallthrough"}

ATTR_STMT = "__klpl_attrstmt"        # an attribute-only statement such as `fallthrough;`
TYPEOF_PREFIX = "__klpl_typeof_"     # typeof(...) becomes one typedef-like name
AUTO_TYPE = "__klpl_autotype"        # __auto_type


def norm_attr(name: str) -> str:
    if name.startswith("__") and name.endswith("__") and len(name) > 4:
        return name[2:-2]
    return name


@dataclass
class Attr:
    """One __attribute__((...)) lifted out of the tokens. pos: index in the output tokens of the
    token that followed it; items: (normalized name, argument tokens)."""
    pos: int
    items: List[Tuple[str, List[Tok]]]
    tok: Tok

    def string(self, name: str) -> Optional[str]:
        """The string argument of attribute `name` (adjacent literals concatenated, as clang prints it)."""
        for n, args in self.items:
            if n == name:
                parts = [a.value for a in args if a.kind == "CPP_STRING" or a.value.startswith('"')]
                if parts:
                    return "".join(p[p.index('"') + 1:-1] for p in parts)
        return None

    def has(self, name: str) -> bool:
        return any(n == name for n, _ in self.items)

    def args(self, name: str) -> Optional[List[Tok]]:
        for n, a in self.items:
            if n == name:
                return a
        return None


@dataclass
class Lifted:
    tokens: List[Tok]
    attrs: List[Attr] = field(default_factory=list)
    typeofs: Dict[str, List[Tok]] = field(default_factory=dict)   # synthetic name -> inner tokens


def _match(toks: List[Tok], i: int) -> int:
    """Index of the ')' matching the '(' at i (or len(toks) - 1 if unbalanced)."""
    depth = 0
    for j in range(i, len(toks)):
        v = toks[j].value
        if v == "(":
            depth += 1
        elif v == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def _split_items(toks: List[Tok]) -> List[Tuple[str, List[Tok]]]:
    items, cur, depth = [], [], 0
    for t in toks:
        if t.value == "(":
            depth += 1
        elif t.value == ")":
            depth -= 1
        if t.value == "," and depth == 0:
            items.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        items.append(cur)
    out = []
    for it in items:
        if not it:
            continue
        name = norm_attr(it[0].value)
        args = it[2:-1] if len(it) > 2 and it[1].value == "(" else []
        out.append((name, args))
    return out


class _Counter:
    def __init__(self):
        self.n = 0


def lift(toks: List[Tok], counter: Optional[_Counter] = None) -> Lifted:
    counter = counter or _Counter()
    out: List[Tok] = []
    res = Lifted(out)
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        v = t.value
        if t.kind == "CPP_ID":
            if v in ("__attribute__", "__attribute") and i + 1 < n and toks[i + 1].value == "(":
                j = _match(toks, i + 1)
                inner = toks[i + 3:j - 1] if j - i >= 4 and toks[i + 2].value == "(" else []
                attr = Attr(len(out), _split_items(inner), t)
                if any(name in STATEMENT_ATTRIBUTES for name, _ in attr.items):
                    out.append(Tok(ATTR_STMT, "CPP_ID", t.file, t.line, t.col, t.eline, t.ecol, t.macro))
                else:
                    res.attrs.append(attr)
                i = j + 1
                continue
            if v in DROPPED:
                i += 1
                continue
            if v == "_Pragma" and i + 1 < n and toks[i + 1].value == "(":
                i = _match(toks, i + 1) + 1
                continue
            if v in TYPEOF and i + 1 < n and toks[i + 1].value == "(":
                j = _match(toks, i + 1)
                inner = lift(toks[i + 2:j], counter)
                name = f"{TYPEOF_PREFIX}{counter.n}"
                counter.n += 1
                res.typeofs.update(inner.typeofs)
                res.typeofs[name] = inner.tokens
                out.append(Tok(name, "CPP_ID", t.file, t.line, t.col, toks[j].eline, toks[j].ecol, t.macro))
                i = j + 1
                continue
            if v == "__auto_type":
                out.append(Tok(AUTO_TYPE, "CPP_ID", t.file, t.line, t.col, t.eline, t.ecol, t.macro))
                i += 1
                continue
            if v in ALIASES:
                v = ALIASES[v]
                t = Tok(v, t.kind, t.file, t.line, t.col, t.eline, t.ecol, t.macro)
            if v == "__asm__" and _is_asm_label(out):
                k = i + 1
                while k < n and toks[k].value != "(":
                    k += 1
                i = _match(toks, k) + 1 if k < n else n
                continue
        out.append(t)
        i += 1
    return res


def _is_asm_label(out: List[Tok]) -> bool:
    """`asm("name")` after a declarator renames the symbol (dropped); elsewhere it is a statement."""
    if not out:
        return False
    prev = out[-1].value
    if prev in (";", "{", "}", ":", "else", "do"):
        return False
    if prev == ")":
        depth = 0
        for j in range(len(out) - 1, -1, -1):
            v = out[j].value
            if v == ")":
                depth += 1
            elif v == "(":
                depth -= 1
                if depth == 0:
                    return not (j > 0 and out[j - 1].value in ("if", "while", "for", "switch"))
        return True
    return True


@dataclass
class Emitted:
    text: str
    index_at: Dict[Tuple[int, int], int]     # (line, column) in text -> token index


def emit(tokens: List[Tok], prelude: str = "") -> Emitted:
    """The text pycparser parses: every token at a known (line, column), mapped back to its index."""
    parts: List[str] = []
    index_at: Dict[Tuple[int, int], int] = {}
    line = 1
    if prelude:
        parts.append(prelude)
        line += prelude.count("\n")
        if not prelude.endswith("\n"):
            parts.append("\n")
            line += 1
    col = 1
    last = None
    for idx, t in enumerate(tokens):
        key = (t.file, t.line)
        if last is not None and key != last:
            parts.append("\n")
            line += 1
            col = 1
        elif last is not None:
            parts.append(" ")
            col += 1
        last = key
        index_at[(line, col)] = idx
        parts.append(t.value)
        col += len(t.value)
    parts.append("\n")
    return Emitted("".join(parts), index_at)
