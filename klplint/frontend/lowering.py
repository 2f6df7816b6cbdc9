"""IR shapes both front ends lower GNU C into, and the C names of constructs they cannot lower."""
from __future__ import annotations

from typing import Optional

from klplint import ir
from klplint.ir.util import c_terms

def unsupported_note(loc: ir.Location, what: str, parse_error: bool = False,
                     function: Optional[str] = None) -> ir.Note:
    """The KLP213 note for a construct a function's lowering gave up on, in C terms."""
    text = f"construct not analysed: {c_terms(what)}"
    if parse_error:
        text += " - the compiler rejected this code (a parse error, not an unsupported construct)"
    return ir.Note(loc, text, "unsupported", function)


def elvis(loc: ir.Location, first: ir.Expr, other: ir.Expr, t: ir.Type) -> ir.Expr:
    """GNU `a ?: b` as `({ T tmp = a; tmp ? tmp : b; })`: `a` is evaluated once (it may be a call
    that allocates), with IR nodes the executor knows."""
    name = f"__elvis_{loc.line}_{loc.col}"
    tmp = ir.VarDecl(name, t, first, "auto", None, loc, is_global=False)
    ref = ir.Name(loc, name, "local")
    return ir.StmtExpr(loc, ir.Compound(loc, (ir.DeclStmt(loc, (tmp,)),
                                              ir.ExprStmt(loc, ir.Cond(loc, ref, ref, other)))))


def failed_function_body(loc: ir.Location, why: str) -> ir.Compound:
    """The body of a function whose lowering raised: one unsupported statement, so the executor
    stops there with a KLP213 note instead of the whole file being lost."""
    return ir.Compound(loc, (ir.UnsupportedStmt(loc, why),))
