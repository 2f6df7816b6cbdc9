"""Small helpers over the IR: walking statements and expressions, constant values, C text of expressions."""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import Any, Dict, Iterator, Optional

from klplint import ir


# What walk() does with a node of a given class: skip it (_LEAF), expand it (_SEQ, a tuple), or
# yield it and push its fields (a dataclass): (getter of the fields last to first, how many).
# Computed once per class: asking dataclasses.fields() for every node visited was the largest single
# cost of the structural rules and of the engine's statics.
_LEAF, _SEQ = "leaf", "seq"
_LEAVES = (str, int, float, bool, ir.Location, ir.Type)
_CHILDREN: Dict[type, Any] = {type(None): _LEAF}


def _children_of(cls: type) -> Any:
    if issubclass(cls, _LEAVES):
        what: Any = _LEAF
    elif issubclass(cls, tuple):
        what = _SEQ
    elif is_dataclass(cls):
        # last to first: they are pushed on a stack, so the first field is visited first
        names = [f.name for f in reversed(fields(cls)) if f.name not in ("loc", "type")]
        what = (attrgetter(*names) if names else None, len(names))
    else:
        what = _LEAF
    _CHILDREN[cls] = what
    return what


def walk(node) -> Iterator:
    """Every IR node under `node` (statements, expressions, init items, declarations), pre-order."""
    stack = [node]
    pop, push, extend, children = stack.pop, stack.append, stack.extend, _CHILDREN
    while stack:
        n = pop()
        what = children.get(type(n))
        if what is None:
            what = _children_of(type(n))
        if what is _LEAF:
            continue
        if what is _SEQ:
            extend(reversed(n))
            continue
        yield n
        get, count = what
        if count > 1:
            extend(get(n))      # attrgetter of several names: a tuple of their values
        elif count:
            push(get(n))


def calls(node) -> Iterator[ir.Call]:
    for n in walk(node):
        if isinstance(n, ir.Call):
            yield n


def callees(fn: ir.FunctionDecl) -> list:
    """Names of the functions fn calls directly, in first-call order (a variable's
    __attribute__((cleanup)) function counts: it is called when the variable's scope ends)."""
    out = []
    if fn.body is not None:
        for n in walk(fn.body):
            if isinstance(n, ir.Call) and n.callee_name and n.callee_name not in out:
                out.append(n.callee_name)
            elif isinstance(n, ir.VarDecl) and n.cleanup and n.cleanup not in out:
                out.append(n.cleanup)
    return out


def reachable(functions: dict, roots) -> set:
    """Functions of `functions` (name -> FunctionDecl) reachable by calls from roots, roots included."""
    seen: set = set()
    todo = [r for r in roots if r]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        todo.extend(callees(functions[name]))
    return seen


def strip(e: Optional[ir.Expr]) -> Optional[ir.Expr]:
    """Drop casts: `(void *)fn` is fn for table purposes."""
    while isinstance(e, ir.Cast) and not isinstance(e.operand, ir.InitList):
        e = e.operand
    return e


def const_int(e: Optional[ir.Expr]) -> Optional[int]:
    """The value of an integer constant expression built from literals and enumerators, else None."""
    e = strip(e)
    if isinstance(e, ir.IntLit):
        return e.value
    if isinstance(e, ir.Name) and e.kind == "enum":
        return e.value
    if isinstance(e, ir.SizeOf):
        return e.value
    if isinstance(e, ir.Unary):
        v = const_int(e.operand)
        if v is None:
            return None
        return {"-": -v, "+": v, "~": ~v, "!": int(not v)}.get(e.op)
    if isinstance(e, ir.Binary):
        a, b = const_int(e.lhs), const_int(e.rhs)
        if a is None or b is None:
            return None
        try:
            return {
                "+": a + b, "-": a - b, "*": a * b, "/": int(a / b) if b else None, "%": a % b if b else None,
                "<<": a << b if 0 <= b < 64 else None, ">>": a >> b if 0 <= b < 64 else None,
                "&": a & b, "|": a | b, "^": a ^ b, "==": int(a == b), "!=": int(a != b),
                "<": int(a < b), ">": int(a > b), "<=": int(a <= b), ">=": int(a >= b),
                "&&": int(bool(a and b)), "||": int(bool(a or b)),
            }.get(e.op)
        except (ValueError, OverflowError):
            return None
    if isinstance(e, ir.Cond):
        c = const_int(e.cond)
        if c is not None:
            return const_int(e.then if c else e.other)
    return None


def is_null(e: Optional[ir.Expr]) -> bool:
    """A literal zero / NULL (`0`, `(void *)0`, `NULL`)."""
    return const_int(e) == 0


def _postfix_base(e: ir.Expr) -> str:
    """The base of `->`, `.` or `[]`, in parentheses where C needs them: `(*p)->f`, not `*p->f`."""
    inner = strip(e)
    text = c_text(e)
    if isinstance(inner, (ir.Binary, ir.Assign, ir.Cond)) or \
            (isinstance(inner, ir.Unary) and not inner.op.startswith("post") and text != "THIS_MODULE"):
        return f"({text})"
    return text


def c_text(e: Optional[ir.Expr]) -> str:
    """A compact C rendering of an expression for messages."""
    if e is None:
        return ""
    if isinstance(e, ir.IntLit):
        return str(e.value)
    if isinstance(e, ir.StrLit):
        return '"' + e.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(e, ir.Name):
        return e.name
    if isinstance(e, ir.Member):
        return f"{_postfix_base(e.base)}{'->' if e.arrow else '.'}{e.field}"
    if isinstance(e, ir.Index):
        return f"{_postfix_base(e.base)}[{c_text(e.index)}]"
    if isinstance(e, ir.Unary):
        if e.op == "&" and isinstance(e.operand, ir.Name) and e.operand.name == "__this_module":
            return "THIS_MODULE"
        if e.op.startswith("post"):
            return f"{c_text(e.operand)}{e.op[4:]}"
        if e.op.endswith("pre"):
            return f"{e.op[:2]}{c_text(e.operand)}"
        return f"{e.op}{c_text(e.operand)}"
    if isinstance(e, ir.Binary):
        return f"{c_text(e.lhs)} {e.op} {c_text(e.rhs)}"
    if isinstance(e, ir.Assign):
        return f"{c_text(e.target)} {e.op} {c_text(e.value)}"
    if isinstance(e, ir.Call):
        return f"{c_text(e.callee)}({', '.join(c_text(a) for a in e.args)})"
    if isinstance(e, ir.Cast):
        if is_null(e):
            return "NULL"
        return c_text(e.operand)
    if isinstance(e, ir.Cond):
        return f"{c_text(e.cond)} ? {c_text(e.then)} : {c_text(e.other)}"
    if isinstance(e, ir.InitList):
        return "{ ... }"
    if isinstance(e, ir.SizeOf):
        return "sizeof(...)"
    return "..."


# What a note says about a construct, in C terms (the IR keeps the lowering's own kind name).
_C_TERMS = {
    "UNEXPOSED_EXPR": "a compiler extension expression",
    "ADDR_LABEL_EXPR": "the address of a label (&&label)",
    "INDIRECT_GOTO_STMT": "a computed goto (goto *p)",
    "FLOATING_LITERAL": "a floating-point constant",
    "GENERIC_SELECTION_EXPR": "a _Generic selection whose branch could not be determined",
    "TYPE_REF": "a type operand of a builtin (__builtin_va_arg, __builtin_types_compatible_p)",
    "PARM_DECL": "a parameter declaration inside a type operand of a builtin",
    "CHOOSE_EXPR": "__builtin_choose_expr",
    "VA_ARG_EXPR": "__builtin_va_arg",
    "MS_ASM_STMT": "an MS-style asm statement",
    "SEH_TRY_STMT": "a __try statement",
}


def c_terms(what: str) -> str:
    """The C name of a construct the lowering names by its parser kind (FOR_STMT -> `for` statement)."""
    if what in _C_TERMS:
        return _C_TERMS[what]
    if what.isupper():
        return what.lower().replace("_expr", " expression").replace("_stmt", " statement").replace("_", " ")
    return what
