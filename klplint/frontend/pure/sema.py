"""Semantics for the pycparser front end: scopes, declarator types, struct/enum definitions, constant evaluation and expression types (what clang's Sema knows and the IR needs)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

from pycparser import c_ast

from klplint.frontend.pure import c_types as T
from klplint.frontend.pure.gnu import AUTO_TYPE, TYPEOF_PREFIX
from klplint.frontend.pure.parser import (AddrLabel, Generic, GnuCond, IndexDesignator, OffsetOf, StmtExpr, TypesCompatible, VaArg)
from klplint.frontend.pure.c_types import CType, EnumInfo, Field, Record


class SemaError(Exception):
    """What clang would report as an error (undeclared identifier, unknown type, ...)."""

    def __init__(self, msg: str, coord=None):
        super().__init__(msg)
        self.msg = msg
        self.coord = coord


@dataclass
class Sym:
    kind: str                    # 'typedef' 'func' 'var' 'static_local' 'local' 'param' 'enum'
    type: CType
    value: Optional[int] = None


class Scopes:
    def __init__(self):
        self.stack: List[Tuple[Dict[str, Sym], Dict[str, object]]] = [({}, {})]

    def push(self):
        self.stack.append(({}, {}))

    def pop(self):
        self.stack.pop()

    @property
    def at_file_scope(self) -> bool:
        return len(self.stack) == 1

    def lookup(self, name: str) -> Optional[Sym]:
        for ords, _ in reversed(self.stack):
            s = ords.get(name)
            if s is not None:
                return s
        return None

    def declare(self, name: str, sym: Sym):
        if name:
            self.stack[-1][0][name] = sym

    def declare_global(self, name: str, sym: Sym):
        self.stack[0][0].setdefault(name, sym)

    def tag(self, name: str):
        for _, tags in reversed(self.stack):
            t = tags.get(name)
            if t is not None:
                return t
        return None

    def tag_here(self, name: str):
        return self.stack[-1][1].get(name)

    def declare_tag(self, name: str, obj):
        if name:
            self.stack[-1][1][name] = obj

    def typedef_names(self) -> List[str]:
        out = set()
        for ords, _ in self.stack:
            for n, s in ords.items():
                if s.kind == "typedef":
                    out.add(n)
                else:
                    out.discard(n)
        return sorted(out)


# ---------------------------------------------------------------- literals

_SIMPLE_ESC = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "\\": 92, "'": 39,
               '"': 34, "?": 63, "e": 27, "E": 27}


def decode_escapes(body: str) -> List[int]:
    """Code units of a C literal body: bytes for plain literals (UTF-8 for non-ASCII), escapes decoded.
    \\u and \\U give a code point (encoded as UTF-8 by the caller)."""
    out: List[int] = []
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch != "\\" or i + 1 >= n:
            out.extend(ch.encode("utf-8"))
            i += 1
            continue
        c = body[i + 1]
        if c in _SIMPLE_ESC:
            out.append(_SIMPLE_ESC[c])
            i += 2
        elif c in "01234567":
            j = i + 1
            while j < n and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1:j], 8) & 0xFF)
            i = j
        elif c == "x":
            j = i + 2
            while j < n and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 2:j] or "0", 16) & 0xFF)
            i = j
        elif c in "uU":
            width = 4 if c == "u" else 8
            cp = int(body[i + 2:i + 2 + width] or "0", 16)
            out.extend(chr(cp).encode("utf-8", "replace"))
            i += 2 + width
        else:
            out.extend(c.encode("utf-8"))
            i += 2
    return out


def string_value(literal: str) -> Tuple[str, int]:
    """(text, length in code units) of a (possibly concatenated, possibly prefixed) string literal
    as pycparser joins it: the value clang's StringLiteral holds, UTF-8 decoded."""
    s = literal
    prefix = ""
    while s and s[0] != '"':
        prefix += s[0]
        s = s[1:]
    body = s[1:-1] if s.endswith('"') else s[1:]
    # pycparser joins adjacent literals by dropping the inner quotes: "a" "b" -> "ab"
    units = decode_escapes(body)
    data = bytes(u & 0xFF for u in units)
    return data.decode("utf-8", "replace"), len(units)


def char_value(literal: str) -> Tuple[int, CType]:
    s = literal
    prefix = ""
    while s and s[0] != "'":
        prefix += s[0]
        s = s[1:]
    body = s[1:-1]
    units = decode_escapes(body)
    if prefix in ("L", "U"):
        cps = body.encode("utf-8").decode("unicode_escape", "ignore") if "\\" in body else body
        v = ord(cps[-1]) if cps else 0
        return v, (T.INT if prefix == "L" else T.UINT)
    if prefix == "u":
        v = ord(body[-1]) if body else 0
        return v, T.int_type("unsigned short")
    if len(units) == 1:
        v = units[0]
        if v >= 128:
            v -= 256
        return v, T.INT
    v = 0
    for u in units:
        v = ((v << 8) | (u & 0xFF)) & 0xFFFFFFFF
    if v >= 1 << 31:
        v -= 1 << 32
    return v, T.INT


def int_literal(text: str) -> Tuple[int, CType]:
    if "'" in text[:3]:
        return char_value(text)          # pycparser lexes 'ab' (multi-character) as an int constant
    s = text.lower()
    suffix = ""
    while s and s[-1] in "ul":
        suffix = s[-1] + suffix
        s = s[:-1]
    if s.startswith("0x"):
        v, decimal = int(s[2:] or "0", 16), False
    elif s.startswith("0b"):
        v, decimal = int(s[2:] or "0", 2), False
    elif len(s) > 1 and s.startswith("0"):
        v, decimal = int(s, 8), False
    else:
        v, decimal = int(s or "0"), True
    unsigned = "u" in suffix
    longs = suffix.count("l")
    if unsigned:
        cands = ["unsigned int", "unsigned long", "unsigned long long"][min(longs, 2):] if longs < 2 \
            else ["unsigned long long"]
    elif decimal:
        cands = ["int", "long", "long long"][min(longs, 2):]
    else:
        cands = ["int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long"][2 * min(longs, 2):]
    for name in cands:
        size, signed = T.INT_INFO[name]
        lim = (1 << (size * 8 - 1)) if signed else (1 << (size * 8))
        if v < lim:
            return v, T.int_type(name)
    return v & ((1 << 64) - 1), T.int_type("unsigned long long")


def wrap(v: int, t: CType) -> int:
    if t.kind == "bool":
        return 1 if v else 0
    if t.kind == "ptr":
        return v & ((1 << 64) - 1)
    if t.kind not in ("int", "enum"):
        return v
    name = t.int_name()
    size, signed = T.INT_INFO.get(name, (8, True))
    bits = size * 8
    v &= (1 << bits) - 1
    if signed and v >= 1 << (bits - 1):
        v -= 1 << bits
    return v


# ---------------------------------------------------------------- conversions

def promote(t: CType) -> CType:
    if t.kind == "bool":
        return T.INT
    if t.kind == "enum":
        t = T.int_type(T.enum_underlying(t.enum))
    if t.kind == "int" and T.RANK.get(t.name, 3) < 3:
        return T.INT
    return t.unqual()


def arith(a: CType, b: CType) -> CType:
    if a.kind == "float" or b.kind == "float":
        order = ["float", "double", "long double"]
        na = a.name if a.kind == "float" else "float"
        nb = b.name if b.kind == "float" else "float"
        return CType("float", max(na, nb, key=lambda n: order.index(n) if n in order else 1))
    a, b = promote(a), promote(b)
    if a.kind != "int" or b.kind != "int":
        return T.INT
    if a.name == b.name:
        return a
    signed_a = T.INT_INFO.get(a.name, (8, True))[1]
    signed_b = T.INT_INFO.get(b.name, (8, True))[1]
    ra, rb = T.RANK.get(a.name, 4), T.RANK.get(b.name, 4)
    if signed_a == signed_b:
        return a if ra >= rb else b
    u, s = (b, a) if signed_a else (a, b)
    ru, rs = T.RANK.get(u.name, 4), T.RANK.get(s.name, 4)
    if ru >= rs:
        return u
    if T.INT_INFO[s.name][0] > T.INT_INFO[u.name][0]:
        return s
    return T.int_type("unsigned " + s.name)


class Sema:
    """Types and values of declarations and expressions, in scope order. The lowering supplies
    typeof_parse (the operand of a typeof, parsed in the current scope) and the GNU attributes of a
    record (record_attrs) or a member (field_attrs), which live outside the AST: (packed, aligned)."""

    def __init__(self, scopes: Scopes, typeof_parse: Callable[[str, List[str]], object],
                 record_attrs: Callable[[object], Tuple[bool, Optional[int]]],
                 field_attrs: Callable[[object], Tuple[bool, Optional[int]]]):
        self.scopes = scopes
        self.typeof_parse = typeof_parse
        self.record_attrs = record_attrs
        self.field_attrs = field_attrs
        self._spec_cache: Dict[int, Tuple[object, CType]] = {}
        self.func_name = ""

    # ------------------------------------------------ declarators
    def decl_type(self, node) -> CType:
        if isinstance(node, (c_ast.Decl, c_ast.Typedef, c_ast.Typename)):
            return self.decl_type(node.type)
        if isinstance(node, c_ast.TypeDecl):
            base = self.spec_type(node.type)
            if node.quals and "const" in node.quals:
                base = base.with_const(True)
            return base
        if isinstance(node, c_ast.PtrDecl):
            return T.ptr(self.decl_type(node.type), const="const" in (node.quals or []))
        if isinstance(node, c_ast.ArrayDecl):
            elem = self.decl_type(node.type)
            size = None
            if node.dim is not None and not (isinstance(node.dim, c_ast.ID) and node.dim.name == "*"):
                v = self.eval(node.dim)
                size = v
            return CType("array", target=elem, size=size)
        if isinstance(node, c_ast.FuncDecl):
            ret = self.decl_type(node.type)
            if node.args is None:
                return CType("func", target=ret, proto=False)
            params: List[CType] = []
            variadic = False
            proto = True
            for p in node.args.params:
                if isinstance(p, c_ast.EllipsisParam):
                    variadic = True
                    continue
                if isinstance(p, c_ast.ID):
                    proto = False
                    continue
                pt = self.param_type(p)
                if pt.kind == "void" and len(node.args.params) == 1:
                    continue
                params.append(pt.decay().unqual())
            if not proto:
                return CType("func", target=ret, proto=False)
            return CType("func", target=ret, params=tuple(params), variadic=variadic)
        if isinstance(node, (c_ast.IdentifierType, c_ast.Struct, c_ast.Union, c_ast.Enum)):
            return self.spec_type(node)
        return T.OTHER

    def param_type(self, p) -> CType:
        self.scopes.push()
        try:
            return self.decl_type(p)
        finally:
            # tags declared in a prototype stay visible (as clang does for the file's later use)
            inner = self.scopes.stack[-1][1]
            self.scopes.pop()
            for k, v in inner.items():
                if self.scopes.tag(k) is None:
                    self.scopes.declare_tag(k, v)

    def spec_type(self, node) -> CType:
        if isinstance(node, c_ast.IdentifierType):
            names = node.names
            if len(names) == 1:
                n = names[0]
                if n.startswith(TYPEOF_PREFIX):
                    return self.typeof_type(n)
                if n == AUTO_TYPE:
                    return T.OTHER
                sym = self.scopes.lookup(n)
                if sym is not None and sym.kind == "typedef":
                    return sym.type
            if any(x not in _KEYWORD_TYPES for x in names):
                bad = [x for x in names if x not in _KEYWORD_TYPES]
                raise SemaError(f"unknown type name '{bad[0]}'", node.coord)
            return T.base_type(names)
        if isinstance(node, (c_ast.Struct, c_ast.Union)):
            cached = self._spec_cache.get(id(node))
            if cached is not None and cached[0] is node:
                return cached[1]
            t = self.record(node)
            self._spec_cache[id(node)] = (node, t)
            return t
        if isinstance(node, c_ast.Enum):
            cached = self._spec_cache.get(id(node))
            if cached is not None and cached[0] is node:
                return cached[1]
            t = self.enum(node)
            self._spec_cache[id(node)] = (node, t)
            return t
        return self.decl_type(node)

    def typeof_type(self, name: str) -> CType:
        frag = self.typeof_parse(name, self.scopes.typedef_names())
        if isinstance(frag, c_ast.Typename):
            return self.decl_type(frag)
        return self.type_of(frag)

    def record(self, node) -> CType:
        kind = "union" if isinstance(node, c_ast.Union) else "struct"
        name = node.name or ""
        if node.decls is None:
            rec = self.scopes.tag(name) if name else None
            if not isinstance(rec, Record) or rec.kind != kind:
                rec = Record(kind, name)
                self.scopes.declare_tag(name, rec)
            return CType(kind, name, rec=rec)
        rec = self.scopes.tag_here(name) if name else None
        if not isinstance(rec, Record) or rec.kind != kind or rec.complete:
            rec = Record(kind, name)
            self.scopes.declare_tag(name, rec)
        packed, align = self.record_attrs(node)
        fields: List[Field] = []
        for d in node.decls:
            if not isinstance(d, c_ast.Decl):
                continue
            ft = self.decl_type(d.type)
            bits = self.eval(d.bitsize) if d.bitsize is not None else None
            fpacked, falign = self.field_attrs(d)
            fields.append(Field(d.name or "", ft, bits, fpacked, falign))
        rec.fields = fields
        rec.packed = packed
        rec.align = align
        rec.complete = True
        rec._layout = None
        return CType(kind, name, rec=rec)

    def enum(self, node) -> CType:
        name = node.name or ""
        if node.values is None:
            info = self.scopes.tag(name) if name else None
            if not isinstance(info, EnumInfo):
                info = EnumInfo(name)
                self.scopes.declare_tag(name, info)
            return CType("enum", name, enum=info)
        info = self.scopes.tag_here(name) if name else None
        if not isinstance(info, EnumInfo) or info.complete:
            info = EnumInfo(name)
            self.scopes.declare_tag(name, info)
        packed, _ = self.record_attrs(node)
        info.packed = packed
        nxt = 0
        for e in node.values.enumerators:
            v = self.eval(e.value) if e.value is not None else nxt
            if v is None:
                v = nxt
            info.values[e.name] = v
            self.scopes.declare(e.name, Sym("enum", T.INT, v))
            nxt = v + 1
        info.complete = True
        return CType("enum", name, enum=info)

    # ------------------------------------------------ constants
    def eval(self, node) -> Optional[int]:
        r = self.evalt(node)
        return None if r is None else r[0]

    def evalt(self, node) -> Optional[Tuple[int, CType]]:
        try:
            return self._eval(node)
        except (ZeroDivisionError, SemaError, RecursionError, ValueError):
            return None

    def _eval(self, node) -> Optional[Tuple[int, CType]]:
        if node is None:
            return None
        if isinstance(node, c_ast.Constant):
            if node.type == "char":
                v, t = char_value(node.value)
                return v, t
            if node.type == "string" or node.type in ("float", "double", "long double"):
                return None
            v, t = int_literal(node.value)
            return v, t
        if isinstance(node, c_ast.ID):
            sym = self.scopes.lookup(node.name)
            if sym is not None and sym.kind == "enum":
                return sym.value, T.INT
            return None
        if isinstance(node, c_ast.UnaryOp):
            op = node.op
            if op == "sizeof":
                t = self.decl_type(node.expr) if isinstance(node.expr, c_ast.Typename) else self.type_of(node.expr)
                s = T.sizeof(t)
                return (s, T.ULONG) if s is not None else None
            if op == "_Alignof":
                t = self.decl_type(node.expr) if isinstance(node.expr, c_ast.Typename) else self.type_of(node.expr)
                return T.alignof(t), T.ULONG
            if op == "&":
                off = self.null_member_offset(node.expr)
                if off is not None:
                    return off, T.ULONG
                return None
            r = self._eval(node.expr)
            if r is None:
                return None
            v, t = r
            if op == "!":
                return (0 if v else 1), T.INT
            t = promote(t)
            if op == "-":
                return wrap(-v, t), t
            if op == "+":
                return v, t
            if op == "~":
                return wrap(~v, t), t
            return None
        if isinstance(node, c_ast.BinaryOp):
            op = node.op
            if op in ("&&", "||"):
                a = self._eval(node.left)
                if a is None:
                    return None
                if op == "&&" and not a[0]:
                    return 0, T.INT
                if op == "||" and a[0]:
                    return 1, T.INT
                b = self._eval(node.right)
                return None if b is None else ((1 if b[0] else 0), T.INT)
            a = self._eval(node.left)
            b = self._eval(node.right)
            if a is None or b is None:
                return None
            (va, ta), (vb, tb) = a, b
            if op in ("<<", ">>"):
                t = promote(ta)
                v = va << vb if op == "<<" else va >> vb
                return wrap(v, t), t
            t = arith(ta, tb)
            va, vb = wrap(va, t), wrap(vb, t)
            if op == "+":
                v = va + vb
            elif op == "-":
                v = va - vb
            elif op == "*":
                v = va * vb
            elif op == "/":
                v = abs(va) // abs(vb) * (1 if (va < 0) == (vb < 0) else -1)
            elif op == "%":
                v = va - vb * (abs(va) // abs(vb) * (1 if (va < 0) == (vb < 0) else -1))
            elif op == "&":
                v = va & vb
            elif op == "|":
                v = va | vb
            elif op == "^":
                v = va ^ vb
            elif op in ("<", ">", "<=", ">=", "==", "!="):
                v = {"<": va < vb, ">": va > vb, "<=": va <= vb, ">=": va >= vb, "==": va == vb,
                     "!=": va != vb}[op]
                return (1 if v else 0), T.INT
            else:
                return None
            return wrap(v, t), t
        if isinstance(node, c_ast.TernaryOp):
            c = self._eval(node.cond)
            if c is None:
                return None
            a = self._eval(node.iftrue)
            b = self._eval(node.iffalse)
            if a is None or b is None:
                return None
            t = arith(a[1], b[1])
            return wrap((a if c[0] else b)[0], t), t
        if isinstance(node, c_ast.Cast):
            t = self.decl_type(node.to_type)
            r = self._eval(node.expr)
            if r is None:
                return None
            if t.kind in ("int", "bool", "enum", "ptr"):
                return wrap(r[0], t), t.unqual()
            return None
        if isinstance(node, OffsetOf):
            off = self.offsetof(self.decl_type(node.typ), node.designator)
            return None if off is None else (off, T.ULONG)
        if isinstance(node, TypesCompatible):
            return (1 if self.compatible(self.decl_type(node.t1), self.decl_type(node.t2)) else 0), T.INT
        if isinstance(node, Generic):
            sel = self.generic_choice(node)
            return self._eval(sel) if sel is not None else None
        if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) \
                and node.name.name == "__builtin_choose_expr" and node.args is not None \
                and len(node.args.exprs) == 3:
            c = self._eval(node.args.exprs[0])
            if c is None:
                return None
            return self._eval(node.args.exprs[1] if c[0] else node.args.exprs[2])
        return None

    def generic_choice(self, node):
        """The association a _Generic selects (by the controlling expression's unqualified type)."""
        ct = self.type_of(node.ctrl).decay().unqual()
        default = None
        for typ, expr in node.assocs:
            if typ is None:
                default = expr
            elif self.compatible(self.decl_type(typ), ct):
                return expr
        return default

    def null_member_offset(self, node) -> Optional[int]:
        """The value of &((T *)0)->m.n[i] (the classic offsetof), or None."""
        path = []
        while True:
            if isinstance(node, c_ast.StructRef):
                path.append(("f", node.field.name))
                if node.type == "->":
                    base = node.name
                    break
                node = node.name
            elif isinstance(node, c_ast.ArrayRef):
                idx = self.eval(node.subscript)
                if idx is None:
                    return None
                path.append(("i", idx))
                node = node.name
            else:
                return None
        while isinstance(base, c_ast.Cast) is False and isinstance(base, c_ast.ExprList):
            base = base.exprs[-1]
        if not isinstance(base, c_ast.Cast):
            return None
        v = self._eval(base.expr)
        if v is None:
            return None
        t = self.decl_type(base.to_type)
        if t.kind != "ptr":
            return None
        cur = t.target
        off = v[0]
        for kind, x in reversed(path):
            if kind == "f":
                if cur.kind not in ("struct", "union") or cur.rec is None:
                    return None
                got = cur.rec.find(x)
                if got is None:
                    return None
                cur, o = got
                off += o
            else:
                if cur.kind != "array":
                    return None
                es = T.sizeof(cur.target)
                if es is None:
                    return None
                off += es * x
                cur = cur.target
        return off

    def offsetof(self, t: CType, designator) -> Optional[int]:
        path = []
        node = designator
        while True:
            if isinstance(node, c_ast.StructRef):
                path.append(("f", node.field.name))
                node = node.name
            elif isinstance(node, c_ast.ArrayRef):
                path.append(("i", self.eval(node.subscript)))
                node = node.name
            elif isinstance(node, c_ast.ID):
                path.append(("f", node.name))
                break
            else:
                return None
        cur, off = t, 0
        for kind, x in reversed(path):
            if kind == "f":
                if cur.kind not in ("struct", "union") or cur.rec is None:
                    return None
                got = cur.rec.find(x)
                if got is None:
                    return None
                cur, o = got
                off += o
            else:
                if cur.kind != "array" or x is None:
                    return None
                off += (T.sizeof(cur.target) or 0) * x
                cur = cur.target
        return off

    def compatible(self, a: CType, b: CType) -> bool:
        a, b = a.unqual(), b.unqual()
        if a.kind != b.kind:
            return False
        if a.kind in ("struct", "union"):
            return a.rec is b.rec
        if a.kind == "enum":
            return a.enum is b.enum
        if a.kind in ("ptr",):
            return a.target.const == b.target.const and self.compatible(a.target, b.target)
        if a.kind == "array":
            return (a.size is None or b.size is None or a.size == b.size) and self.compatible(a.target, b.target)
        if a.kind == "func":
            return self.compatible(a.target, b.target)
        return a.name == b.name

    # ------------------------------------------------ expression types
    def type_of(self, node) -> CType:
        try:
            return self._type_of(node)
        except (SemaError, RecursionError):
            return T.OTHER

    def _type_of(self, node) -> CType:
        if isinstance(node, c_ast.Constant):
            if node.type == "string":
                text, n = string_value(node.value)
                return CType("array", target=T.CHAR, size=n + 1)
            if node.type == "char":
                return char_value(node.value)[1]
            if node.type in ("float", "double", "long double"):
                return CType("float", node.type)
            return int_literal(node.value)[1]
        if isinstance(node, c_ast.ID):
            if node.name in ("__func__", "__FUNCTION__", "__PRETTY_FUNCTION__"):
                return CType("array", target=T.CHAR.with_const(), size=len(self.func_name) + 1)
            sym = self.scopes.lookup(node.name)
            if sym is None:
                return CType("func", target=T.INT, proto=False)
            if sym.kind == "enum":
                return T.INT
            return sym.type
        if isinstance(node, c_ast.UnaryOp):
            op = node.op
            if op in ("sizeof", "_Alignof"):
                return T.ULONG
            if op == "&":
                return T.ptr(self._type_of(node.expr))
            if op == "*":
                t = self._type_of(node.expr).decay()
                return t.target if t.kind == "ptr" and t.target is not None else T.OTHER
            if op == "!":
                return T.INT
            if op in ("-", "+", "~"):
                return promote(self._type_of(node.expr))
            return self._type_of(node.expr).unqual()
        if isinstance(node, c_ast.BinaryOp):
            op = node.op
            if op in ("<", ">", "<=", ">=", "==", "!=", "&&", "||"):
                return T.INT
            a = self._type_of(node.left).decay()
            b = self._type_of(node.right).decay()
            if op in ("<<", ">>"):
                return promote(a)
            if op in ("+", "-"):
                if a.kind == "ptr" and b.kind == "ptr":
                    return T.LONG
                if a.kind == "ptr":
                    return a.unqual()
                if b.kind == "ptr":
                    return b.unqual()
            return arith(a, b)
        if isinstance(node, c_ast.Assignment):
            return self._type_of(node.lvalue).unqual()
        if isinstance(node, c_ast.TernaryOp):
            a = self._type_of(node.iftrue).decay()
            b = self._type_of(node.iffalse).decay()
            return self._cond_type(a, b, node.iftrue, node.iffalse)
        if isinstance(node, GnuCond):
            a = self._type_of(node.cond).decay()
            b = self._type_of(node.other).decay()
            return self._cond_type(a, b, node.cond, node.other)
        if isinstance(node, c_ast.FuncCall):
            if isinstance(node.name, c_ast.ID) and node.name.name == "__builtin_choose_expr" \
                    and node.args is not None and len(node.args.exprs) == 3:
                c = self.eval(node.args.exprs[0])
                return self._type_of(node.args.exprs[1] if c else node.args.exprs[2])
            ft = self._type_of(node.name).decay()
            if ft.kind == "ptr" and ft.target is not None and ft.target.kind == "func":
                return ft.target.target
            return T.INT
        if isinstance(node, c_ast.StructRef):
            bt = self._type_of(node.name)
            if node.type == "->":
                bt = bt.decay()
                bt = bt.target if bt.kind == "ptr" else T.OTHER
            if bt.kind in ("struct", "union") and bt.rec is not None:
                got = bt.rec.find(node.field.name)
                if got is not None:
                    ft = got[0]
                    return ft.with_const(True) if bt.const else ft
            return T.OTHER
        if isinstance(node, c_ast.ArrayRef):
            a = self._type_of(node.name).decay()
            if a.kind == "ptr":
                return a.target
            b = self._type_of(node.subscript).decay()
            return b.target if b.kind == "ptr" else T.OTHER
        if isinstance(node, c_ast.Cast):
            return self.decl_type(node.to_type).unqual()
        if isinstance(node, c_ast.CompoundLiteral):
            t = self.decl_type(node.type)
            if t.kind == "array" and t.size is None and isinstance(node.init, c_ast.InitList):
                t = t.replace(size=self.array_length(t.target, node.init.exprs))
            return t
        if isinstance(node, c_ast.ExprList):
            return self._type_of(node.exprs[-1])
        if isinstance(node, StmtExpr):
            items = node.body.block_items or []
            self.scopes.push()
            try:
                for it in items:
                    if isinstance(it, (c_ast.Decl, c_ast.Typedef)):
                        self.declare_local(it)
                if items and _is_expr(items[-1]):
                    return self._type_of(items[-1]).unqual()
                return T.VOID
            finally:
                self.scopes.pop()
        if isinstance(node, (OffsetOf,)):
            return T.ULONG
        if isinstance(node, Generic):
            sel = self.generic_choice(node)
            return self._type_of(sel) if sel is not None else T.OTHER
        if isinstance(node, TypesCompatible):
            return T.INT
        if isinstance(node, VaArg):
            return self.decl_type(node.typ)
        if isinstance(node, AddrLabel):
            return T.ptr(T.VOID)
        return T.OTHER

    def _cond_type(self, a, b, na, nb) -> CType:
        if a.is_arith and b.is_arith:
            return arith(a, b)
        if a.kind == "ptr" and b.kind == "ptr":
            if a.target.kind == "void":
                return a
            return a if not b.target.kind == "void" else b
        if a.kind == "ptr":
            return a
        if b.kind == "ptr":
            return b
        return a

    def declare_local(self, d):
        """Declare a block-scope name for typing purposes (statement expressions in typeof)."""
        if isinstance(d, c_ast.Typedef):
            self.scopes.declare(d.name, Sym("typedef", self.decl_type(d.type)))
        elif isinstance(d, c_ast.Decl) and d.name:
            self.scopes.declare(d.name, Sym("local", self.decl_type(d.type)))

    # ------------------------------------------------ initializers
    def array_length(self, elem: CType, items) -> int:
        """How many elements an initializer list gives an array of unknown size (designators and
        brace elision included)."""
        k = 0
        most = 0
        i = 0
        while i < len(items):
            it = items[i]
            if isinstance(it, c_ast.NamedInitializer):
                first = it.name[0] if it.name else None
                if isinstance(first, IndexDesignator):
                    v = self.eval(first.expr)
                    k = v if v is not None else k
                i += 1
                k += 1
                most = max(most, k)
                continue
            i = self._init_one(elem, items, i)
            k += 1
            most = max(most, k)
        return most

    def _init_one(self, t: CType, items, i: int) -> int:
        it = items[i]
        if isinstance(it, (c_ast.InitList, c_ast.NamedInitializer)) or t.is_scalar or t.kind not in ("struct", "union", "array"):
            return i + 1
        if t.kind == "array" and t.target.kind in ("int",) and t.target.int_name() in ("char", "signed char", "unsigned char") \
                and isinstance(it, c_ast.Constant) and it.type == "string":
            return i + 1
        if t.kind in ("struct", "union"):
            et = self.type_of(it)
            if et.kind == t.kind and et.rec is t.rec:
                return i + 1
        return self._consume(t, items, i)

    def _consume(self, t: CType, items, i: int) -> int:
        if t.kind == "array":
            n = t.size
            k = 0
            while i < len(items) and (n is None or k < n):
                if isinstance(items[i], c_ast.NamedInitializer):
                    break
                i = self._init_one(t.target, items, i)
                k += 1
            return i
        if t.kind in ("struct", "union") and t.rec is not None:
            fields = [f for f in t.rec.fields if f.name or f.bits is None]
            if t.kind == "union":
                fields = fields[:1]
            for f in fields:
                if i >= len(items) or isinstance(items[i], c_ast.NamedInitializer):
                    break
                i = self._init_one(f.type, items, i)
            return i
        return i + 1


def _is_expr(node) -> bool:
    return not isinstance(node, (c_ast.Decl, c_ast.Typedef, c_ast.Compound, c_ast.If, c_ast.Switch,
                                 c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Return, c_ast.Goto,
                                 c_ast.Label, c_ast.Break, c_ast.Continue, c_ast.EmptyStatement,
                                 c_ast.Case, c_ast.Default, c_ast.StaticAssert, c_ast.Pragma,
                                 c_ast.DeclList)) and type(node).__name__ not in (
        "AsmStmt", "AttrStmt", "IndirectGoto")


_KEYWORD_TYPES = {"void", "_Bool", "char", "short", "int", "long", "float", "double", "_Complex",
                  "signed", "unsigned", "__int128"}
