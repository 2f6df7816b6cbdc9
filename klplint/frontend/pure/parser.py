"""pycparser's recursive-descent parser taught the GNU C kernel code uses, keeping the exact tokens clang locates nodes by (parentheses, braces, operators, declaration starts)."""
from __future__ import annotations

import weakref
from typing import Any, Dict, Optional

from pycparser import c_ast
from pycparser.c_parser import CParser, Coord

from klplint.frontend.pure.gnu import ATTR_STMT, AUTO_TYPE, TYPEOF_PREFIX


class ParseFailure(Exception):
    """A syntax error, with the generated-text coordinate it happened at (mapped back by the caller)."""

    def __init__(self, msg: str, coord: Optional[Coord]):
        super().__init__(msg)
        self.msg = msg
        self.coord = coord


# ------------------------------------------------------------------ GNU nodes pycparser lacks

class GNode:
    """Base of the extra nodes (plain objects, weak-referenceable for the side table)."""
    coord: Any = None


class StmtExpr(GNode):
    def __init__(self, body, coord):
        self.body, self.coord = body, coord


class AsmStmt(GNode):
    def __init__(self, coord):
        self.coord = coord


class AttrStmt(GNode):
    """An attribute-only statement (`fallthrough;`); semi: the coordinate of its ';'."""
    def __init__(self, coord, semi=None):
        self.coord, self.semi = coord, semi


class AddrLabel(GNode):
    def __init__(self, name, coord):
        self.name, self.coord = name, coord


class GnuCond(GNode):
    """`a ?: b`"""
    def __init__(self, cond, other, coord):
        self.cond, self.other, self.coord = cond, other, coord


class VaArg(GNode):
    def __init__(self, expr, typ, coord):
        self.expr, self.typ, self.coord = expr, typ, coord


class TypesCompatible(GNode):
    def __init__(self, t1, t2, coord):
        self.t1, self.t2, self.coord = t1, t2, coord


class OffsetOf(GNode):
    def __init__(self, typ, designator, coord):
        self.typ, self.designator, self.coord = typ, designator, coord


class Generic(GNode):
    """`_Generic(ctrl, type: expr, ..., default: expr)`; assocs: (Typename or None, expr)."""
    def __init__(self, ctrl, assocs, coord):
        self.ctrl, self.assocs, self.coord = ctrl, assocs, coord


class LabelDecl(GNode):
    """`__label__ a, b;` (GNU local labels): a declaration of nothing the IR keeps."""
    def __init__(self, coord):
        self.coord = coord


class IndexDesignator(GNode):
    """`[expr]` in a designation (pycparser gives the bare expression, ambiguous with `.field`)."""
    def __init__(self, expr, coord):
        self.expr, self.coord = expr, coord


class IndirectGoto(GNode):
    def __init__(self, expr, coord):
        self.expr, self.coord = expr, coord


# The token types the builtins below arrive as: ID, or the keywords pycparser 3.1+ made of them.
_BUILTIN_TOKENS = ("ID", "OFFSETOF", "__BUILTIN_VA_ARG", "_GENERIC")


def _compound_literal(typ, init, coord):
    """c_ast.CompoundLiteral across pycparser versions (3.1 added a storage-class field)."""
    if "storage" in c_ast.CompoundLiteral.__slots__:
        return c_ast.CompoundLiteral(typ, init, [], coord)
    return c_ast.CompoundLiteral(typ, init, coord)


class GParser(CParser):
    """CParser plus: statement expressions anywhere, `a ?: b`, case ranges, `&&label`, `goto *p`,
    asm statements, attribute-only statements, typeof/__auto_type (as names the lifting pass made),
    __builtin_va_arg / __builtin_offsetof / __builtin_types_compatible_p. Extra facts about nodes
    (the '(' around an expression, an initializer's braces, where a declaration starts and ends,
    the token after an unnamed parameter, a struct's keyword and braces) go in `ext`."""

    def __init__(self, typedef_names=()):
        super().__init__()
        self.ext: "weakref.WeakKeyDictionary[Any, Dict[str, Any]]" = weakref.WeakKeyDictionary()
        self._extra_types = set(typedef_names)

    # ------------------------------------------------ helpers
    def note(self, node, **kw):
        d = self.ext.get(node)
        if d is None:
            d = self.ext[node] = {}
        d.update(kw)
        return node

    def info(self, node) -> Dict[str, Any]:
        try:
            return self.ext.get(node) or {}
        except TypeError:
            return {}

    def _prev_token(self):
        ts = self._tokens
        return ts._buffer[ts._index - 1] if ts._index > 0 else None

    def _parse_error(self, msg, coord):
        if not isinstance(coord, Coord):
            try:
                tok = self._peek() or self._prev_token()
            except Exception:  # noqa: BLE001 - the lexer itself failed
                tok = None
            coord = self._tok_coord(tok) if tok is not None else None
        raise ParseFailure(msg, coord)

    def parse(self, text, filename="", debug=False):
        self._scope_stack = [dict()]
        return super().parse(text, filename, debug)

    def _is_type_in_scope(self, name):
        if name.startswith(TYPEOF_PREFIX) or name == AUTO_TYPE or name in self._extra_types:
            return True
        return super()._is_type_in_scope(name)

    def _skip_balanced(self):
        """Consume a parenthesized group starting at the next '('."""
        self._expect("LPAREN")
        depth = 1
        while depth:
            t = self._advance()
            if t.type == "LPAREN":
                depth += 1
            elif t.type == "RPAREN":
                depth -= 1

    # ------------------------------------------------ declarations: where they start and end
    def _parse_external_declaration(self):
        tok = self._peek()
        if tok is not None and tok.type == "ID" and tok.value == "__asm__":
            self._advance()
            while self._peek_type() in ("VOLATILE", "INLINE", "GOTO"):
                self._advance()
            self._skip_balanced()
            self._accept("SEMI")
            return []
        start = tok
        decls = super()._parse_external_declaration()
        end = self._prev_token()
        for d in decls:
            self.note(d, start=self._tok_coord(start) if start else None, end=self._tok_coord(end) if end else None)
        return decls

    def _parse_declaration(self):
        start = self._peek()
        decls = super()._parse_declaration()
        end = self._prev_token()
        for d in decls:
            self.note(d, start=self._tok_coord(start), end=self._tok_coord(end))
        return decls

    def _parse_struct_declaration(self):
        start = self._peek()
        if start is not None and start.type == "_STATIC_ASSERT":
            self._parse_static_assert()          # a C11 static assertion among the members
            return None
        decls = super()._parse_struct_declaration()
        end = self._prev_token()
        for d in decls or ():
            self.note(d, start=self._tok_coord(start), end=self._tok_coord(end))
        return decls

    def _parse_parameter_declaration(self):
        start = self._peek()
        node = super()._parse_parameter_declaration()
        after = self._peek()
        self.note(node, start=self._tok_coord(start), after=self._tok_coord(after) if after else None)
        return node

    def _parse_struct_or_union_specifier(self):
        mark = self._mark()
        kw = self._peek()
        node = super()._parse_struct_or_union_specifier()
        lbrace = rbrace = None
        if node.decls is not None:
            buf = self._tokens._buffer
            for k in range(mark, self._tokens._index):
                if buf[k].type == "LBRACE":
                    lbrace = buf[k]
                    break
            rbrace = self._prev_token()
        self.note(node, kw=self._tok_coord(kw), lbrace=self._tok_coord(lbrace) if lbrace else None,
                  rbrace=self._tok_coord(rbrace) if rbrace else None)
        return node

    def _parse_enum_specifier(self):
        mark = self._mark()
        node = super()._parse_enum_specifier()
        rbrace = self._prev_token() if node.values is not None else None
        self.note(node, kw=self._tok_coord(self._tokens._buffer[mark]),
                  rbrace=self._tok_coord(rbrace) if rbrace else None)
        return node

    # ------------------------------------------------ statements
    def _parse_block_item_list(self):
        # pycparser 3.1+ takes anything that is not a c_ast.Node for a list of declarations;
        # the extra statement nodes (AttrStmt, AsmStmt, ...) are single items
        items = []
        while self._peek_type() not in {"RBRACE", None}:
            item = self._parse_block_item()
            if isinstance(item, list):
                if item != [None]:
                    items.extend(item)
            else:
                items.append(item)
        return items

    def _parse_statement(self):
        tok = self._peek()
        if tok is not None and tok.type == "ID":
            if tok.value == "__asm__":
                self._advance()
                while self._peek_type() in ("VOLATILE", "INLINE", "GOTO"):
                    self._advance()
                self._skip_balanced()
                self._expect("SEMI")
                return AsmStmt(self._tok_coord(tok))
            if tok.value == ATTR_STMT:
                self._advance()
                semi = self._expect("SEMI")
                return AttrStmt(self._tok_coord(tok), self._tok_coord(semi))
        if tok is not None and tok.type == "GOTO" and self._peek_type(2) == "TIMES":
            self._advance()
            self._advance()
            expr = self._parse_expression()
            self._expect("SEMI")
            return IndirectGoto(expr, self._tok_coord(tok))
        return super()._parse_statement()

    def _parse_block_item(self):
        tok = self._peek()
        if tok is not None and tok.type == "ID" and tok.value == "__label__":
            self._advance()
            while self._peek_type() not in ("SEMI", None):
                self._advance()
            self._expect("SEMI")
            return LabelDecl(self._tok_coord(tok))
        return super()._parse_block_item()

    def _parse_selection_statement(self):
        if self._peek_type() != "SWITCH":
            return super()._parse_selection_statement()
        # clang's shape: `case` holds one statement, the following ones are its siblings
        tok = self._advance()
        self._expect("LPAREN")
        expr = self._parse_expression()
        self._expect("RPAREN")
        stmt = self._parse_pragmacomp_or_statement()
        return c_ast.Switch(expr, stmt, self._tok_coord(tok))

    def _parse_labeled_statement(self):
        if self._peek_type() != "CASE":
            return super()._parse_labeled_statement()
        case_tok = self._advance()
        expr = self._parse_constant_expression()
        if self._accept("ELLIPSIS"):
            self._parse_constant_expression()     # GNU case range: the IR keeps the low bound
        self._expect("COLON")
        if self._starts_statement():
            stmt = self._parse_pragmacomp_or_statement()
        else:
            stmt = c_ast.EmptyStatement(self._tok_coord(case_tok))
        return c_ast.Case(expr, [stmt], self._tok_coord(case_tok))

    def _starts_statement(self):
        tok = self._peek()
        if tok is not None and tok.type == "ID" and tok.value in ("__asm__", ATTR_STMT):
            return True
        return super()._starts_statement()

    # ------------------------------------------------ expressions
    def _parse_assignment_expression(self):
        expr = self._parse_conditional_expression()
        if self._is_assignment_op():
            op = self._advance().value
            rhs = self._parse_assignment_expression()
            return c_ast.Assignment(op, expr, rhs, expr.coord)
        return expr

    def _parse_conditional_expression(self):
        expr = self._parse_binary_expression()
        q = self._accept("CONDOP")
        if q:
            if self._accept("COLON"):
                other = self._parse_conditional_expression()
                return GnuCond(expr, other, expr.coord)
            iftrue = self._parse_expression()
            self._expect("COLON")
            iffalse = self._parse_conditional_expression()
            return c_ast.TernaryOp(expr, iftrue, iffalse, expr.coord)
        return expr

    def _parse_unary_expression(self):
        tok_type = self._peek_type()
        if tok_type in {"PLUSPLUS", "MINUSMINUS"}:
            tok = self._advance()
            expr = self._parse_unary_expression()
            return c_ast.UnaryOp(tok.value, expr, self._tok_coord(tok))
        if tok_type == "LAND" and self._peek_type(2) in ("ID", "TYPEID"):
            tok = self._advance()
            name = self._advance()
            return AddrLabel(name.value, self._tok_coord(tok))
        if tok_type in {"AND", "TIMES", "PLUS", "MINUS", "NOT", "LNOT"}:
            tok = self._advance()
            expr = self._parse_cast_expression()
            return c_ast.UnaryOp(tok.value, expr, self._tok_coord(tok))
        if tok_type == "_ALIGNOF":
            tok = self._advance()
            result = self._try_parse_paren_type_name()
            if result is not None:
                return c_ast.UnaryOp(tok.value, result[0], self._tok_coord(tok))
            expr = self._parse_unary_expression()        # GNU __alignof__ of an expression
            return c_ast.UnaryOp(tok.value, expr, self._tok_coord(tok))
        return super()._parse_unary_expression()

    def _parse_postfix_expression(self):
        result = self._try_parse_paren_type_name()
        if result is not None:
            typ, mark, lparen = result[:3]     # pycparser 3.1+ adds the storage class
            lbrace = self._accept("LBRACE")
            if lbrace:
                if self._peek_type() == "RBRACE":
                    init = c_ast.InitList([], self._tok_coord(lbrace))
                else:
                    init = self._parse_initializer_list()
                    self._accept("COMMA")
                rbrace = self._expect("RBRACE")
                init.coord = self._tok_coord(lbrace)
                self.note(init, lbrace=self._tok_coord(lbrace), rbrace=self._tok_coord(rbrace))
                expr = _compound_literal(typ, init, self._tok_coord(lparen))
                return self._parse_postfix_suffixes(expr)
            self._reset(mark)
        expr = self._parse_primary_expression()
        return self._parse_postfix_suffixes(expr)

    def _parse_postfix_suffixes(self, expr):
        while True:
            if self._accept("LBRACKET"):
                sub = self._parse_expression()
                self._expect("RBRACKET")
                expr = c_ast.ArrayRef(expr, sub, expr.coord)
                continue
            if self._accept("LPAREN"):
                if self._peek_type() == "RPAREN":
                    self._advance()
                    args = None
                else:
                    args = self._parse_argument_expression_list()
                    self._expect("RPAREN")
                expr = c_ast.FuncCall(expr, args, expr.coord)
                continue
            if self._peek_type() in {"PERIOD", "ARROW"}:
                op_tok = self._advance()
                name_tok = self._advance()
                if name_tok.type not in {"ID", "TYPEID"}:
                    self._parse_error("Invalid struct reference", self._tok_coord(name_tok))
                fld = c_ast.ID(name_tok.value, self._tok_coord(name_tok))
                expr = c_ast.StructRef(expr, op_tok.value, fld, expr.coord)
                continue
            if self._peek_type() in {"PLUSPLUS", "MINUSMINUS"}:
                tok = self._advance()
                expr = c_ast.UnaryOp("p" + tok.value, expr, expr.coord)
                continue
            break
        return expr

    def _parse_primary_expression(self):
        tok = self._peek()
        if tok is not None and tok.type == "LPAREN":
            if self._peek_type(2) == "LBRACE":
                self._advance()
                body = self._parse_compound_statement()
                self._expect("RPAREN")
                return StmtExpr(body, self._tok_coord(tok))
            self._advance()
            expr = self._parse_expression()
            self._expect("RPAREN")
            self.note(expr, paren=self._tok_coord(tok))
            return expr
        # pycparser 3.1+ lexes __builtin_va_arg and _Generic as keywords (and parses them into
        # its own nodes); by spelling, the lowering sees the same nodes with every version
        if tok is not None and tok.type in _BUILTIN_TOKENS and self._peek_type(2) == "LPAREN":
            v = tok.value
            if v == "__builtin_va_arg":
                self._advance()
                self._expect("LPAREN")
                expr = self._parse_assignment_expression()
                self._expect("COMMA")
                typ = self._parse_type_name()
                self._expect("RPAREN")
                return VaArg(expr, typ, self._tok_coord(tok))
            if v == "__builtin_types_compatible_p":
                self._advance()
                self._expect("LPAREN")
                t1 = self._parse_type_name()
                self._expect("COMMA")
                t2 = self._parse_type_name()
                self._expect("RPAREN")
                return TypesCompatible(t1, t2, self._tok_coord(tok))
            if v == "_Generic":
                self._advance()
                self._expect("LPAREN")
                ctrl = self._parse_assignment_expression()
                assocs = []
                while self._accept("COMMA"):
                    if self._accept("DEFAULT"):
                        typ = None
                    else:
                        typ = self._parse_type_name()
                    self._expect("COLON")
                    assocs.append((typ, self._parse_assignment_expression()))
                self._expect("RPAREN")
                return Generic(ctrl, assocs, self._tok_coord(tok))
            if v in ("__builtin_offsetof", "offsetof"):
                self._advance()
                self._expect("LPAREN")
                typ = self._parse_type_name()
                self._expect("COMMA")
                designator = self._parse_offsetof_member_designator()
                self._expect("RPAREN")
                return OffsetOf(typ, designator, self._tok_coord(tok))
        return super()._parse_primary_expression()

    def _parse_static_assert(self):
        out = super()._parse_static_assert()
        self._accept("SEMI")        # part of the static_assert-declaration
        return out

    # ------------------------------------------------ initializers
    def _parse_initializer(self):
        lbrace = self._accept("LBRACE")
        if lbrace:
            if self._peek_type() == "RBRACE":
                init = c_ast.InitList([], self._tok_coord(lbrace))
            else:
                init = self._parse_initializer_list()
                self._accept("COMMA")
            rbrace = self._expect("RBRACE")
            init.coord = self._tok_coord(lbrace)
            self.note(init, lbrace=self._tok_coord(lbrace), rbrace=self._tok_coord(rbrace))
            return init
        return self._parse_assignment_expression()

    def _parse_initializer_item(self):
        if self._peek_type() in ("ID", "TYPEID") and self._peek_type(2) == "COLON":
            # GNU's old designator `field: value`, the same as `.field = value`
            name = self._advance()
            self._advance()
            init = self._parse_initializer()
            return c_ast.NamedInitializer([c_ast.ID(name.value, self._tok_coord(name))], init)
        return super()._parse_initializer_item()

    def _parse_designator(self):
        lb = self._accept("LBRACKET")
        if lb:
            expr = self._parse_constant_expression()
            if self._accept("ELLIPSIS"):
                self._parse_constant_expression()   # GNU range designator: the IR keeps the low bound
            self._expect("RBRACKET")
            return IndexDesignator(expr, self._tok_coord(lb))
        return super()._parse_designator()
