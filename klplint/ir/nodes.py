"""The shared intermediate representation every front end lowers into: frozen nodes with locations, and dump()."""
from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Optional, Tuple, Union

from klplint.location import NOWHERE, Location  # noqa: F401 - part of the IR's interface


# ---------------------------------------------------------------- types
# Types are canonical (typedefs resolved) so both front ends agree on them.

@dataclass(frozen=True)
class Type:
    """kind: 'void' | 'int' (any integer, name holds the spelling) | 'float' | 'bool' | 'ptr' |
    'array' | 'struct' | 'union' | 'enum' | 'func' | 'other'."""
    kind: str
    name: str = ""                       # 'int', 'unsigned long', struct/union/enum tag
    target: Optional["Type"] = None      # pointee, element type, or function return type
    params: Tuple["Type", ...] = ()      # function parameter types
    variadic: bool = False
    size: Optional[int] = None           # array length when known
    const: bool = False

    def spelling(self) -> str:
        q = "const " if self.const else ""
        if self.kind == "ptr":
            assert self.target is not None
            if self.target.kind == "func":
                assert self.target.target is not None      # a function type has a return type
                return f"{self.target.target.spelling()} (*{' const' if self.const else ''})({self.target._params()})"
            return f"{self.target.spelling()} *{' const' if self.const else ''}"
        if self.kind == "array":
            assert self.target is not None
            return f"{self.target.spelling()}[{'' if self.size is None else self.size}]"
        if self.kind == "func":
            assert self.target is not None
            return f"{self.target.spelling()} ({self._params()})"
        if self.kind in ("struct", "union", "enum"):
            return f"{q}{self.kind} {self.name}"
        return f"{q}{self.name or self.kind}"

    def _params(self) -> str:
        ps = [p.spelling() for p in self.params] or ["void"]
        if self.variadic:
            ps.append("...")
        return ", ".join(ps)

    def unqualified(self) -> "Type":
        return Type(self.kind, self.name, self.target, self.params, self.variadic, self.size, False)

    @property
    def is_pointer(self) -> bool:
        return self.kind == "ptr"

    def pointee_func(self) -> Optional["Type"]:
        """The function type behind a function or function-pointer type."""
        if self.kind == "func":
            return self
        if self.kind == "ptr" and self.target is not None and self.target.kind == "func":
            return self.target
        return None


UNKNOWN_TYPE = Type("other", "?")
INT = Type("int", "int")
VOID = Type("void", "void")


# ---------------------------------------------------------------- expressions

@dataclass(frozen=True)
class Expr:
    loc: Location


@dataclass(frozen=True)
class IntLit(Expr):
    value: int


@dataclass(frozen=True)
class StrLit(Expr):
    value: str


@dataclass(frozen=True)
class Name(Expr):
    """A reference to a declared name. kind: 'func' | 'var' (file scope) | 'static_local' | 'param' |
    'local' | 'enum' (value holds the enumerator's value) | 'unknown'."""
    name: str
    kind: str = "unknown"
    value: Optional[int] = None


@dataclass(frozen=True)
class Member(Expr):
    base: Expr
    field: str
    arrow: bool


@dataclass(frozen=True)
class Index(Expr):
    base: Expr
    index: Expr


@dataclass(frozen=True)
class Unary(Expr):
    """op: '&', '*', '-', '+', '!', '~', '++pre', '--pre', 'post++', 'post--'."""
    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    """Arithmetic, comparison, logical (&&, ||) and comma operators."""
    op: str
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True)
class Assign(Expr):
    """op: '=' or a compound operator such as '+=' or '|='."""
    op: str
    target: Expr
    value: Expr


@dataclass(frozen=True)
class Call(Expr):
    callee: Expr
    args: Tuple[Expr, ...]

    @property
    def callee_name(self) -> Optional[str]:
        return self.callee.name if isinstance(self.callee, Name) else None


@dataclass(frozen=True)
class Cond(Expr):
    cond: Expr
    then: Expr
    other: Expr


@dataclass(frozen=True)
class Cast(Expr):
    type: Type
    operand: Expr


@dataclass(frozen=True)
class SizeOf(Expr):
    """sizeof/_Alignof of a type or expression; value is filled in when the front end knows it."""
    value: Optional[int]


@dataclass(frozen=True)
class InitItem:
    """One element of an initializer list. designators: field names (str) and array indices (int),
    outermost first, empty for a positional element."""
    designators: Tuple[Union[str, int], ...]
    value: Expr


@dataclass(frozen=True)
class InitList(Expr):
    items: Tuple[InitItem, ...]
    end: Location = NOWHERE        # the closing brace (quick fixes insert before it)


@dataclass(frozen=True)
class StmtExpr(Expr):
    """GNU statement expression ({ ... }); value is that of its last expression statement."""
    body: "Compound"


@dataclass(frozen=True)
class Unsupported(Expr):
    """A construct the lowering does not handle (KLP213 in production, an error under KLPLINT_STRICT)."""
    what: str


# ---------------------------------------------------------------- statements

@dataclass(frozen=True)
class Stmt:
    loc: Location


@dataclass(frozen=True)
class Compound(Stmt):
    body: Tuple[Stmt, ...]


@dataclass(frozen=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(frozen=True)
class DeclStmt(Stmt):
    vars: Tuple["VarDecl", ...]


@dataclass(frozen=True)
class If(Stmt):
    cond: Expr
    then: Stmt
    other: Optional[Stmt]


@dataclass(frozen=True)
class Switch(Stmt):
    cond: Expr
    body: Stmt


@dataclass(frozen=True)
class Case(Stmt):
    value: Expr
    body: Stmt


@dataclass(frozen=True)
class Default(Stmt):
    body: Stmt


@dataclass(frozen=True)
class While(Stmt):
    cond: Expr
    body: Stmt


@dataclass(frozen=True)
class DoWhile(Stmt):
    body: Stmt
    cond: Expr


@dataclass(frozen=True)
class For(Stmt):
    init: Optional[Stmt]
    cond: Optional[Expr]
    step: Optional[Expr]
    body: Stmt


@dataclass(frozen=True)
class Return(Stmt):
    value: Optional[Expr]


@dataclass(frozen=True)
class Goto(Stmt):
    label: str


@dataclass(frozen=True)
class Label(Stmt):
    name: str
    body: Stmt


@dataclass(frozen=True)
class Break(Stmt):
    pass


@dataclass(frozen=True)
class Continue(Stmt):
    pass


@dataclass(frozen=True)
class Empty(Stmt):
    pass


@dataclass(frozen=True)
class UnsupportedStmt(Stmt):
    what: str


# ---------------------------------------------------------------- declarations

@dataclass(frozen=True)
class Param:
    name: str
    type: Type
    loc: Location


@dataclass(frozen=True)
class VarDecl:
    name: str
    type: Type
    init: Optional[Expr]
    storage: str            # 'static' | 'extern' | 'none' (file scope default) | 'auto' (block scope)
    section: Optional[str]  # from __attribute__((section)), e.g. '.init.data'
    loc: Location
    is_global: bool = True
    # Why the front end rejected the initializer (clang drops an initializer it could not parse,
    # as with an undefined macro or a failed `#error` branch): the table is not analysable.
    invalid: str = ""
    # __attribute__((cleanup(fn))): the function called with &var when the variable's scope ends.
    cleanup: Optional[str] = None


@dataclass(frozen=True)
class FunctionDecl:
    name: str
    type: Type              # kind 'func'
    params: Tuple[Param, ...]
    body: Optional[Compound]
    storage: str            # 'static' | 'extern' | 'none'
    section: Optional[str]  # '.init.text' for __init, '.exit.text' for __exit
    loc: Location
    alias: Optional[str] = None  # __attribute__((alias("x"))), as module_init() produces


@dataclass(frozen=True)
class TranslationUnit:
    """What a front end produces for one main file: only declarations written in that file
    (headers contribute types, not declarations), in source order."""
    path: str
    functions: Tuple[FunctionDecl, ...]
    variables: Tuple[VarDecl, ...]
    includes: Tuple[str, ...] = ()          # every file the parse read (for the cache key)
    notes: Tuple["Note", ...] = ()          # lowering problems (KLP213) and include problems
    # Field names of the struct types the file's globals use, reached through embedded structs
    # and pointers (klp_patch -> klp_object -> klp_func ...): positional initializers need them.
    records: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()

    def record_fields(self, name: str) -> Tuple[str, ...]:
        for rec, fields_ in self.records:
            if rec == name:
                return fields_
        return ()


@dataclass(frozen=True)
class Note:
    loc: Location
    message: str
    kind: str = "unsupported"   # 'unsupported' | 'missing-include' | 'diagnostic'
    function: Optional[str] = None   # the function whose body the note is about (None: file scope)


# ---------------------------------------------------------------- dump

def dump(node, indent: int = 0) -> str:
    """A stable, front-end independent text form of any IR node (used by the parity test)."""
    out: list[str] = []
    _dump(node, indent, out, None)
    return "\n".join(out)


_OPTIONAL_FIELDS = {"invalid", "cleanup"}


def _dump(node, indent, out, label):
    pad = "  " * indent
    prefix = f"{label}: " if label else ""
    if isinstance(node, Type):
        out.append(f"{pad}{prefix}<{node.spelling()}>")
        return
    if isinstance(node, Location):
        return
    if is_dataclass(node):
        head = type(node).__name__
        scalars = []
        children = []
        for f in fields(node):
            if f.name in ("loc", "end", "includes", "notes", "records"):
                continue
            v = getattr(node, f.name)
            if f.name in _OPTIONAL_FIELDS and v == f.default:
                continue        # later additions appear only when set: older dumps stay the same
            if f.name == "invalid":
                v = True        # the reason is each parser's own message
            if isinstance(v, (Type,)):
                scalars.append(f"{f.name}=<{v.spelling()}>")
            elif is_dataclass(v) or (isinstance(v, tuple) and v and not isinstance(v[0], (str, int))):
                children.append((f.name, v))
            else:
                scalars.append(f"{f.name}={v!r}")
        loc = getattr(node, "loc", None)
        where = f" @{loc.line}:{loc.col}" if isinstance(loc, Location) else ""
        out.append(f"{pad}{prefix}{head}({', '.join(scalars)}){where}")
        for name, v in children:
            if isinstance(v, tuple):
                out.append(f"{pad}  {name}:")
                for item in v:
                    _dump(item, indent + 2, out, None)
            else:
                _dump(v, indent + 1, out, name)
        return
    out.append(f"{pad}{prefix}{node!r}")
