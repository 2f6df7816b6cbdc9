"""IR shapes both front ends lower GNU C into, and the C names of constructs they cannot lower."""
from __future__ import annotations

from klplint import ir

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


def unsupported_note(loc: ir.Location, what: str, parse_error: bool = False) -> ir.Note:
    """The KLP213 note for a construct a function's lowering gave up on, in C terms."""
    text = f"construct not analysed: {c_terms(what)}"
    if parse_error:
        text += " - the compiler rejected this code (a parse error, not an unsupported construct)"
    return ir.Note(loc, text)


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
