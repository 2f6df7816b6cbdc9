"""The pycparser front end: preprocesses with pcpp, parses with pycparser (GNU C taught), lowers into exactly the IR the libclang front end produces."""
from __future__ import annotations

import bisect
import re
from contextlib import contextmanager
from typing import Dict, List, Optional, Tuple

from klplint import ir
from klplint.frontend import flags as flagmod, lowering
from klplint.frontend.records import reachable_records
from klplint.frontend.source import FrontendError
from klplint.frontend.strict import UnsupportedConstruct, strict_mode

try:  # the front end's own dependencies; a missing one is a FrontendError, not an ImportError
    import pycparser
    from pycparser import c_ast
    _PYCPARSER_ERROR = None
    if int(pycparser.__version__.split(".")[0]) < 3:
        _PYCPARSER_ERROR = f"pycparser {pycparser.__version__} is too old (3.0 or later needed)"
except ImportError as _e:  # pragma: no cover
    pycparser = None
    _PYCPARSER_ERROR = f"pycparser is not installed ({_e})"

if _PYCPARSER_ERROR is None:
    from klplint.frontend.pure import c_types as T
    from klplint.frontend.pure.gnu import AUTO_TYPE, TYPEOF_PREFIX, Attr, emit, lift
    from klplint.frontend.pure.parser import (AddrLabel, AsmStmt, AttrStmt, Generic, GnuCond, GParser, IndirectGoto, LabelDecl, OffsetOf, ParseFailure, StmtExpr, TypesCompatible, VaArg)
    from klplint.frontend.pure.preprocess import available as _pp_available, preprocess, Tok
    from klplint.frontend.pure.sema import Scopes, Sema, SemaError, Sym, char_value, int_literal, string_value

# Declarations clang has built in (x86_64): the va_list record and the 128-bit integer names.
PRELUDE = ("typedef struct __va_list_tag { unsigned int gp_offset; unsigned int fp_offset; "
           "void *overflow_arg_area; void *reg_save_area; } __builtin_va_list[1];\n"
           "typedef __int128 __int128_t;\ntypedef unsigned __int128 __uint128_t;\n")

BUILTIN_FILE = "<built-in>"
_FUNC_NAMES = ("__func__", "__FUNCTION__", "__PRETTY_FUNCTION__")


def _check_dependencies(path: str) -> None:
    if _PYCPARSER_ERROR is not None:
        raise FrontendError(path, f"the pycparser front end cannot run: {_PYCPARSER_ERROR}")
    if not _pp_available():
        raise FrontendError(path, "the pycparser front end needs the pcpp preprocessor (pip install pcpp); "
                                  "or use --frontend libclang")


def parse(path: str, text: str, config) -> ir.TranslationUnit:
    _check_dependencies(path)
    try:
        args = flagmod.flags_for(path, config)
    except flagmod.FlagsError as e:
        raise FrontendError(path, str(e))
    pre = preprocess(path, text, args)
    if pre.errors and not pre.missing:
        e = pre.errors[0]
        msg = f"include cycle ({e.message})" if "nested too deeply" in e.message else e.message
        raise FrontendError(path, f"parse error: {e.file}:{e.line}: {msg}", e.line if e.file == path else 0)
    lifted = lift(pre.tokens)
    strict = strict_mode(config) and not pre.missing
    unknown_types: List[str] = []
    first_error: Optional[FrontendError] = None
    for _ in range(64):
        emitted = emit(lifted.tokens, PRELUDE)
        parser = GParser(unknown_types)
        try:
            ast = parser.parse(emitted.text, "<klplint>")
            break
        except ParseFailure as e:
            err = _located(path, e.msg, e.coord, emitted.index_at, lifted.tokens)
            bad = _token_at(e.coord, emitted.index_at, lifted.tokens)
            if not pre.missing or bad is None or bad.kind != "CPP_ID" or bad.value in unknown_types:
                raise err
            first_error = first_error or err
            unknown_types.append(bad.value)       # a type from a missing header: recover as clang does
        except RecursionError:
            raise FrontendError(path, "nesting too deep to analyse")
        except (ValueError, AssertionError, IndexError, AttributeError) as e:
            raise FrontendError(path, f"parse error: {e}")
    else:
        raise first_error or FrontendError(path, "parse error")
    lowerer = _Lowerer(path, lifted, emitted.index_at, parser, strict, bool(pre.missing), unknown_types)
    lowerer.errors += [(e.line, e.message) for e in pre.errors if e.file == path and e.line]
    if first_error is not None and first_error.line:
        lowerer.errors.append((first_error.line, first_error.reason))
    try:
        functions, variables = lowerer.lower(ast)
    except SemaError as e:
        raise _located(path, e.msg, e.coord, emitted.index_at, lifted.tokens)
    except RecursionError:
        raise FrontendError(path, "nesting too deep to analyse")
    notes = tuple(ir.Note(ir.Location(path, line, 1), f"header <{name}> not found; analysed without it",
                          "missing-include") for name, line in pre.missing)
    diag = first_error or lowerer.first_error
    if pre.missing and diag is not None:
        notes += (ir.Note(ir.Location(path, diag.line or 1, diag.col or 1),
                          f"analysis may be incomplete without the missing header(s): {diag.reason}",
                          "diagnostic"),)
    notes += tuple(lowerer.notes)
    return ir.TranslationUnit(path, tuple(functions), tuple(variables), pre.includes, notes, lowerer.records())


def _token_at(coord, index_at, tokens) -> Optional["Tok"]:
    if coord is None:
        return None
    idx = index_at.get((coord.line, coord.column))
    return tokens[idx] if idx is not None else None


def _located(path, msg, coord, index_at, tokens) -> FrontendError:
    t = _token_at(coord, index_at, tokens)
    if t is None:
        return FrontendError(path, f"parse error: {msg}")
    inside = t.file == path
    return FrontendError(path, f"parse error: {t.file}:{t.line}:{t.col}: {msg}",
                         t.line if inside else 0, t.col if inside else 0)


_UNARY = {"&": "&", "*": "*", "-": "-", "+": "+", "!": "!", "~": "~", "++": "++pre", "--": "--pre",
          "p++": "post++", "p--": "post--"}


class _Lowerer:
    def __init__(self, path, lifted, index_at, parser, strict, stubs, unknown_types):
        self.path = path
        self.tokens: List[Tok] = lifted.tokens
        self.typeofs = lifted.typeofs
        self.attrs: List[Attr] = sorted(lifted.attrs, key=lambda a: a.pos)
        self._attr_pos = [a.pos for a in self.attrs]
        self.index_at = index_at
        self.parser = parser
        self.strict = strict
        self.stubs = stubs
        self.notes: List[ir.Note] = []
        self.first_error: Optional[FrontendError] = None
        # (line, reason) of every error in the main file (with a header missing, errors are tolerated):
        # a declaration with one in it has an initializer the compiler rejected
        self.errors: List[Tuple[int, str]] = []
        self._cleanups: List[str] = []      # functions __attribute__((cleanup)) names, in order
        self._function: Optional[str] = None    # the function whose body is being lowered
        self.scopes = Scopes()
        self.sema = Sema(self.scopes, self._typeof_fragment, self._record_attrs, self._field_attrs)
        self.irt = T.IRTypes()
        self._frags: Dict[str, tuple] = {}
        self._globals: List[ir.VarDecl] = []
        for name in unknown_types:
            self.scopes.declare(name, Sym("typedef", T.INT))

    # ------------------------------------------------ coordinates
    def idx(self, coord) -> Optional[int]:
        if coord is None:
            return None
        return self.index_at.get((coord.line, coord.column))

    def tok(self, coord) -> Optional[Tok]:
        i = self.idx(coord)
        return self.tokens[i] if i is not None else None

    def loc(self, coord) -> ir.Location:
        t = self.tok(coord)
        if t is None:
            return ir.Location(BUILTIN_FILE, 0, 0)
        return ir.Location(t.file, t.line, t.col)

    def info(self, node) -> dict:
        return self.parser.info(node)

    # ------------------------------------------------ attributes
    def _attrs_between(self, lo: int, hi: int) -> List[Attr]:
        i = bisect.bisect_left(self._attr_pos, lo)
        j = bisect.bisect_right(self._attr_pos, hi)
        return self.attrs[i:j]

    def _record_attrs(self, node) -> Tuple[bool, Optional[int]]:
        inf = self.info(node)
        kw, lb, rb = self.idx(inf.get("kw")), self.idx(inf.get("lbrace")), self.idx(inf.get("rbrace"))
        found: List[Attr] = []
        if kw is not None and lb is not None:
            found += self._attrs_between(kw + 1, lb)
        if rb is not None:
            found += self._attrs_between(rb + 1, rb + 1)
        return self._packed_aligned(found)

    def _field_attrs(self, node) -> Tuple[bool, Optional[int]]:
        inf = self.info(node)
        s, e = self.idx(inf.get("start")), self.idx(inf.get("end"))
        if s is None or e is None:
            return False, None
        return self._packed_aligned(self._attrs_between(s, e))

    def _packed_aligned(self, attrs: List[Attr]) -> Tuple[bool, Optional[int]]:
        packed = any(a.has("packed") for a in attrs)
        align = None
        for a in attrs:
            args = a.args("aligned")
            if args is None:
                continue
            v = 16 if not args else self._eval_tokens(args)
            if v:
                align = max(align or 0, v)
        return packed, align

    def _eval_tokens(self, toks: List[Tok]) -> Optional[int]:
        frag, ctx = self._fragment(toks)
        if frag is None:
            return None
        with self._context(ctx):
            return self.sema.eval(frag)

    def _fragment(self, toks: List[Tok], names: Optional[List[str]] = None):
        """Parse tokens as the operand of `sizeof(...)` (a type name or an expression); returns
        (node, context) where the context maps the node's coordinates back to the tokens."""
        def mk(v):
            return Tok(v, "CPP_ID", "<fragment>", 0, 0, 0, 0, False)
        wrapped = [mk("int"), mk("__klpl_probe"), mk("="), mk("sizeof"), mk("(")] + list(toks) + [mk(")"), mk(";")]
        out = emit(wrapped)
        p = GParser(names if names is not None else self.scopes.typedef_names())
        try:
            ast = p.parse(out.text, "<fragment>")
        except Exception:  # noqa: BLE001 - an unreadable attribute argument is ignored
            return None, None
        init = ast.ext[-1].init
        node = init.expr if isinstance(init, c_ast.UnaryOp) else None
        return node, (wrapped, out.index_at, p)

    def _typeof_fragment(self, name: str, names: List[str]):
        got = self._frags.get(name)
        if got is None:
            got = self._frags[name] = self._fragment(self.typeofs.get(name, []), names)
        if got[0] is None:
            raise SemaError(f"cannot read typeof({' '.join(t.value for t in self.typeofs.get(name, []))})")
        return got[0]

    @contextmanager
    def _context(self, ctx):
        """Lower nodes of a fragment (a typeof operand) against that fragment's tokens."""
        if ctx is None:
            yield
            return
        saved = (self.tokens, self.index_at, self.parser)
        self.tokens, self.index_at, self.parser = ctx
        try:
            yield
        finally:
            self.tokens, self.index_at, self.parser = saved

    def _ctx(self):
        return (self.tokens, self.index_at, self.parser)

    def type_children(self, node, out: Optional[list] = None) -> list:
        """What libclang shows as the children of a type written in an expression, in its order:
        ('typeref', coord, ctx) for a typedef or tag name, ('expr', node, ctx) for an array size or
        a typeof operand, ('other', coord, ctx) for a parameter."""
        out = [] if out is None else out
        if isinstance(node, (c_ast.Typename, c_ast.Decl)):
            node = node.type
        if isinstance(node, c_ast.TypeDecl):
            spec = node.type
            if isinstance(spec, c_ast.IdentifierType) and len(spec.names) == 1:
                n = spec.names[0]
                if n.startswith(TYPEOF_PREFIX):
                    self._typeof_fragment(n, self.scopes.typedef_names())
                    frag, ctx = self._frags[n]
                    if isinstance(frag, c_ast.Typename):
                        with self._context(ctx):
                            self.type_children(frag, out)
                    elif frag is not None:
                        out.append(("expr", frag, ctx))
                elif n not in _KEYWORDS:
                    out.append(("typeref", spec.coord, self._ctx()))
            elif isinstance(spec, (c_ast.Struct, c_ast.Union)) and spec.name:
                out.append(("typeref", spec.coord, self._ctx()))
            elif isinstance(spec, c_ast.Enum) and spec.name:
                kw = self.idx(self.info(spec).get("kw"))
                out.append(("typeref", spec.coord if kw is None else ("idx", kw + 1), self._ctx()))
        elif isinstance(node, c_ast.PtrDecl):
            self.type_children(node.type, out)
        elif isinstance(node, c_ast.ArrayDecl):
            self.type_children(node.type, out)
            if node.dim is not None:
                out.append(("expr", node.dim, self._ctx()))
        elif isinstance(node, c_ast.FuncDecl):
            self.type_children(node.type, out)
            for prm in (node.args.params if node.args is not None else ()):
                if not isinstance(prm, c_ast.EllipsisParam):
                    out.append(("other", prm.coord, self._ctx()))
        return out

    def _lower_child(self, child) -> ir.Expr:
        kind, what, ctx = child
        with self._context(ctx):
            if kind == "expr":
                return self.expr(what)
            if isinstance(what, tuple) and what[0] == "idx":
                t = self.tokens[what[1]]
                loc = ir.Location(t.file, t.line, t.col)
            else:
                loc = self.loc(what)
            name = "TYPE_REF" if kind == "typeref" else "PARM_DECL"
            if self.strict:
                raise UnsupportedConstruct(f"{loc}: the pycparser lowering does not handle {name}")
            self.notes.append(lowering.unsupported_note(loc, name, function=self._function))
            return ir.Unsupported(loc, name)

    def decl_attrs(self, group: List, node) -> List[Attr]:
        """Attributes of one declarator of a declaration: the ones among the specifiers, and the ones
        between its name and the next declarator's name."""
        inf = self.info(node)
        s = self.idx(inf.get("start"))
        e = self.idx(inf.get("end"))
        if isinstance(node, c_ast.FuncDef):
            e = self.idx(node.body.coord)
            node = node.decl
        if s is None or e is None:
            return []
        names = [self.idx(_name_coord(d.decl if isinstance(d, c_ast.FuncDef) else d)) for d in group]
        me = names[group.index(node) if node in group else 0] if names else None
        if me is None:
            return self._attrs_between(s, e)
        first = min(n for n in names if n is not None)
        later = sorted(n for n in names if n is not None and n > me)
        hi = (later[0] - 1) if later else e
        return self._attrs_between(s, first - 1) + self._attrs_between(me, hi)

    @staticmethod
    def _string_attr(attrs: List[Attr], name: str) -> Optional[str]:
        for a in attrs:
            v = a.string(name)
            if v is not None:
                return v
        return None

    @staticmethod
    def _cleanup_attr(attrs: List[Attr]) -> Optional[str]:
        """The function of __attribute__((cleanup(fn)))."""
        for a in attrs:
            args = a.args("cleanup")
            if args:
                names = [t.value for t in args if t.value not in ("(", ")")]
                if len(names) == 1:
                    return names[0]
        return None

    def _cleanup_of(self, attrs: List[Attr]) -> Optional[str]:
        fn = self._cleanup_attr(attrs)
        if fn is not None and fn not in self._cleanups:
            self._cleanups.append(fn)
        return fn

    # ------------------------------------------------ unsupported
    def unsupported(self, coord, what: str, stmt: bool = False) -> ir.Location:
        loc = self.loc(coord)
        if self.strict:
            raise UnsupportedConstruct(f"{loc}: the pycparser lowering does not handle {what}")
        self.notes.append(lowering.unsupported_note(loc, what, function=self._function))
        return loc

    # ------------------------------------------------ top level
    def in_main(self, coord) -> bool:
        t = self.tok(coord)
        return t is not None and (t.file == self.path or t.file.endswith(".c"))

    def lower(self, ast) -> Tuple[List[ir.FunctionDecl], List[ir.VarDecl]]:
        functions: List[ir.FunctionDecl] = []
        variables: List[ir.VarDecl] = []
        header_defs = {}
        for group in _groups(ast.ext, self.info):
            for node in group:
                if isinstance(node, c_ast.FuncDef):
                    f = self.function(node.decl, node, group)
                    if f is not None:
                        functions.append(f)
                    else:
                        header_defs[node.decl.name] = (node, group)
                elif isinstance(node, c_ast.Typedef):
                    self.typedef(node, group)
                elif isinstance(node, c_ast.Decl):
                    if node.name is None:
                        self.sema.decl_type(node.type)
                    elif isinstance(node.type, c_ast.FuncDecl):
                        f = self.function(node, None, group)
                        if f is not None:
                            functions.append(f)
                    else:
                        v = self.var(node, group, is_global=True)
                        if v is not None:
                            variables.append(v)
        self._globals = variables
        functions += self.cleanup_functions(header_defs, {f.name for f in functions})
        return functions, variables

    def cleanup_functions(self, header_defs, have) -> List[ir.FunctionDecl]:
        """The header functions __attribute__((cleanup)) names, lowered so the executor runs them
        at scope exit; with a guard's destructor (cleanup.h's class_<name>_destructor), its
        constructor (as the libclang front end does, in the order the headers define them)."""
        want = set()
        for name in self._cleanups:
            want.add(name)
            m = re.fullmatch(r"class_(\w+)_destructor", name)
            if m:
                want.add(f"class_{m.group(1)}_constructor")
        out = []
        for name, (node, group) in header_defs.items():
            if name in want and name not in have:
                f = self.function(node.decl, node, group, force=True)
                if f is not None:
                    out.append(f)
        return out

    def typedef(self, node, group):
        t = self.sema.decl_type(node.type)
        if group and node is group[0] and isinstance(node.type, c_ast.TypeDecl) \
                and isinstance(node.type.type, (c_ast.Struct, c_ast.Union, c_ast.Enum)) \
                and node.type.type.name is None:
            # `typedef struct { ... } name;`: clang names the anonymous type after the typedef
            if t.rec is not None and not t.rec.name:
                t.rec.name = node.name
            if t.enum is not None and not t.enum.name:
                t.enum.name = node.name
        self.scopes.declare(node.name, Sym("typedef", t))

    def _storage(self, node, default: str) -> str:
        st = node.storage or []
        if "static" in st:
            return "static"
        if "extern" in st:
            return "extern"
        return default

    def function(self, decl, fdef, group, force: bool = False) -> Optional[ir.FunctionDecl]:
        ftype = self.sema.decl_type(decl.type)
        if fdef is not None and isinstance(decl.type, c_ast.FuncDecl) and decl.type.args is not None \
                and any(isinstance(p, c_ast.ID) for p in decl.type.args.params):
            # a K&R definition: clang types it from its declaration list
            knr_types = {pd.name: self.sema.decl_type(pd) for pd in (fdef.param_decls or [])}
            ftype = ftype.replace(proto=True, variadic=False, params=tuple(
                knr_types.get(p.name, T.INT).decay().unqual() for p in decl.type.args.params
                if isinstance(p, c_ast.ID)))
        name_coord = _name_coord(decl)
        self.scopes.declare(decl.name, Sym("func", ftype))
        main = force or self.in_main(name_coord)
        if not main:
            return None             # a header's function: its name and type are all the file needs
        attrs = self.decl_attrs(group, fdef if fdef is not None else decl)
        params: List[ir.Param] = []
        self.scopes.push()
        try:
            args = decl.type.args.params if isinstance(decl.type, c_ast.FuncDecl) and decl.type.args else []
            knr = {}
            if fdef is not None and fdef.param_decls:
                for pd in fdef.param_decls:
                    knr[pd.name] = pd
            for p in args:
                if isinstance(p, c_ast.EllipsisParam):
                    continue
                if isinstance(p, c_ast.ID):
                    pd = knr.get(p.name)
                    pt = self.sema.decl_type(pd) if pd is not None else T.INT
                    params.append(ir.Param(p.name, self.irt(pt), self.loc(_name_coord(pd) if pd else p.coord)))
                    self.scopes.declare(p.name, Sym("param", pt.decay()))
                    continue
                pt = self.sema.param_type(p)
                if pt.kind == "void" and len(args) == 1 and not getattr(p, "name", None):
                    continue
                pname = getattr(p, "name", None) or ""
                if pname:
                    ploc = self.loc(_name_coord(p))
                    self.scopes.declare(pname, Sym("param", pt.decay()))
                else:
                    ploc = self._unnamed_param_loc(p)
                if main:
                    params.append(ir.Param(pname, self.irt(pt), ploc))
            body = None
            if fdef is not None and main:
                self.sema.func_name = decl.name
                self._function = decl.name
                try:
                    body = self.compound(fdef.body, new_scope=False)
                finally:
                    self._function = None
        finally:
            self.scopes.pop()
        if not main:
            return None
        return ir.FunctionDecl(decl.name, self.irt(ftype), tuple(params), body,
                               self._storage(decl, "none"), self._string_attr(attrs, "section"),
                               self.loc(name_coord), self._string_attr(attrs, "alias"))

    _QUALS = {"const", "volatile", "restrict", "_Atomic"}

    def _unnamed_param_loc(self, p) -> ir.Location:
        """Where clang puts an unnamed parameter: where its name would be written (after the
        specifiers, the pointers and any grouping parenthesis: `int` -> the next token,
        `void (*)(void)` -> the ')' after '*')."""
        inf = self.info(p)
        i, end = self.idx(inf.get("start")), self.idx(inf.get("after"))
        if i is None or end is None:
            return self.loc(inf.get("after"))
        toks = self.tokens
        while i < end and toks[i].value not in ("*", "(", "[", ",", ")"):
            if toks[i].value == "{":
                depth = 0
                while i < end:
                    depth += {"{": 1, "}": -1}.get(toks[i].value, 0)
                    i += 1
                    if depth == 0:
                        break
                continue
            i += 1
        while i < end:
            v = toks[i].value
            if v == "*" or v in self._QUALS:
                i += 1
            elif v == "(" and i + 1 < end and toks[i + 1].value in ("*", "(", "["):
                i += 1
            else:
                break
        t = toks[i] if i < len(toks) else None
        return ir.Location(t.file, t.line, t.col) if t is not None else self.loc(inf.get("after"))

    def var(self, node, group, is_global: bool) -> Optional[ir.VarDecl]:
        vt = self.sema.decl_type(node.type)
        if _is_auto_type(node) and node.init is not None:
            vt = self.sema.type_of(node.init).decay().unqual()
        if vt.kind == "array" and vt.size is None and node.init is not None:
            vt = vt.replace(size=self._init_length(vt, node.init))
        storage = self._storage(node, "none" if is_global else "auto")
        if is_global or storage == "extern":      # a block-scope extern lives in the file's scope
            kind = "var"
        elif storage == "static":
            kind = "static_local"
        else:
            kind = "local"
        prev = self.scopes.lookup(node.name)
        if is_global and prev is not None and prev.kind == "var" and prev.type.kind == "array" \
                and prev.type.size is not None and vt.kind == "array" and vt.size is None:
            vt = prev.type
        self.scopes.declare(node.name, Sym(kind, vt))
        name_coord = _name_coord(node)
        if is_global and not self.in_main(name_coord):
            return None
        init = self.expr(node.init) if node.init is not None else None
        attrs = self.decl_attrs(group, node)
        loc = self.loc(name_coord)
        invalid = ""
        if is_global and self.errors:
            last = init.end.line if isinstance(init, ir.InitList) and init.end.line else loc.line
            invalid = next((why for line, why in self.errors if loc.line <= line <= last), "")
        return ir.VarDecl(node.name, self.irt(vt), init, storage, self._string_attr(attrs, "section"),
                          loc, is_global, invalid, self._cleanup_of(attrs))

    def _init_length(self, vt, init) -> Optional[int]:
        if isinstance(init, c_ast.Constant) and init.type == "string":
            return string_value(init.value)[1] + 1
        if isinstance(init, c_ast.InitList):
            return self.sema.array_length(vt.target, init.exprs)
        return None

    # ------------------------------------------------ records (see ir.TranslationUnit.records)
    def records(self) -> tuple:
        def fields_of(name):
            rec = self.irt.records.get(name)
            if rec is None:
                return None
            return [(f.name or "", self.irt(f.type)) for f in (rec.fields if rec.complete else [])]
        return reachable_records([v.type for v in self._globals], fields_of)

    # ------------------------------------------------ statements
    def compound(self, node, new_scope: bool = True) -> ir.Compound:
        if new_scope:
            self.scopes.push()
        try:
            body: List[ir.Stmt] = []
            items = node.block_items or []
            i = 0
            while i < len(items):
                it = items[i]
                if isinstance(it, LabelDecl):
                    body.append(ir.DeclStmt(self.loc(it.coord), ()))
                elif isinstance(it, (c_ast.Decl, c_ast.Typedef, c_ast.StaticAssert)):
                    group = [it]
                    start = self.info(it).get("start")
                    if not isinstance(it, c_ast.StaticAssert):
                        while i + 1 < len(items) and isinstance(items[i + 1], (c_ast.Decl, c_ast.Typedef)) \
                                and start is not None and self.info(items[i + 1]).get("start") == start:
                            i += 1
                            group.append(items[i])
                    body.append(self.decl_stmt(group))
                elif isinstance(it, c_ast.Pragma):
                    pass
                else:
                    body.append(self.stmt(it))
                i += 1
            return ir.Compound(self.loc(node.coord), tuple(body))
        finally:
            if new_scope:
                self.scopes.pop()

    def decl_stmt(self, group) -> ir.DeclStmt:
        first = group[0]
        if isinstance(first, c_ast.StaticAssert):
            return ir.DeclStmt(self.loc(first.coord), ())
        loc = self.loc(self.info(first).get("start"))
        vars_: List[ir.VarDecl] = []
        for d in group:
            if isinstance(d, c_ast.Typedef):
                self.typedef(d, group)
            elif d.name is None:
                self.sema.decl_type(d.type)
            elif isinstance(d.type, c_ast.FuncDecl):
                self.scopes.declare(d.name, Sym("func", self.sema.decl_type(d.type)))
            else:
                v = self.var(d, group, is_global=False)
                if v is not None:
                    vars_.append(v)
        return ir.DeclStmt(loc, tuple(vars_))

    def stmt(self, n) -> ir.Stmt:
        loc = self.loc(n.coord) if not _is_expr_node(n) else None
        if isinstance(n, c_ast.Compound):
            return self.compound(n)
        if isinstance(n, c_ast.If):
            return ir.If(loc, self.expr(n.cond), self.stmt(n.iftrue),
                         self.stmt(n.iffalse) if n.iffalse is not None else None)
        if isinstance(n, c_ast.Switch):
            return ir.Switch(loc, self.expr(n.cond), self.stmt(n.stmt))
        if isinstance(n, c_ast.Case):
            return ir.Case(loc, self.expr(n.expr), self.stmt(n.stmts[0]) if n.stmts else ir.Empty(loc))
        if isinstance(n, c_ast.Default):
            return ir.Default(loc, self.stmt(n.stmts[0]) if n.stmts else ir.Empty(loc))
        if isinstance(n, c_ast.While):
            return ir.While(loc, self.expr(n.cond), self.stmt(n.stmt))
        if isinstance(n, c_ast.DoWhile):
            return ir.DoWhile(loc, self.stmt(n.stmt), self.expr(n.cond))
        if isinstance(n, c_ast.For):
            return self.for_stmt(n, loc)
        if isinstance(n, c_ast.Return):
            return ir.Return(loc, self.expr(n.expr) if n.expr is not None else None)
        if isinstance(n, c_ast.Goto):
            return ir.Goto(loc, n.name)
        if isinstance(n, c_ast.Label):
            return ir.Label(loc, n.name, self.stmt(n.stmt))
        if isinstance(n, c_ast.Break):
            return ir.Break(loc)
        if isinstance(n, c_ast.Continue):
            return ir.Continue(loc)
        if isinstance(n, c_ast.EmptyStatement):
            return ir.Empty(loc)
        if isinstance(n, AsmStmt):
            # libclang lowers inline asm to an opaque call
            return ir.ExprStmt(loc, ir.Call(loc, ir.Name(loc, "__asm__", "func"), ()))
        if isinstance(n, AttrStmt):
            # an attributed statement is the statement it qualifies: `fallthrough;` is a null statement
            return ir.Empty(self.loc(n.semi))
        if isinstance(n, IndirectGoto):
            self.unsupported(n.coord, "INDIRECT_GOTO_STMT", stmt=True)
            return ir.UnsupportedStmt(loc, "INDIRECT_GOTO_STMT")
        if isinstance(n, (c_ast.Decl, c_ast.Typedef, c_ast.StaticAssert)):
            return self.decl_stmt([n])
        if isinstance(n, c_ast.Pragma):
            return ir.Empty(self.loc(n.coord))
        return ir.ExprStmt(self.stmt_loc(n), self.expr(n))

    def stmt_loc(self, n) -> ir.Location:
        """Where clang puts a statement made of an expression: its outermost parenthesis included."""
        paren = self.info(n).get("paren")
        if paren is not None:
            return self.loc(paren)
        return self.loc(self.expr_loc_coord(n))

    def for_stmt(self, n, loc) -> ir.For:
        parts = [n.init, n.cond, n.next]
        ft = self.tok(n.coord)
        if ft is not None and ft.macro and not all(p is not None for p in parts):
            # libclang reads which of init; cond; step exist off the statement's tokens, and for a
            # `for` a macro wrote it cannot: its front end then takes the present ones in order.
            present = [p for p in parts if p is not None]
            parts = present + [None] * (3 - len(present))
        init_n, cond_n, step_n = parts
        init = None
        if isinstance(init_n, c_ast.DeclList):
            self.scopes.push()
        try:
            if isinstance(init_n, c_ast.DeclList):
                init = self.decl_stmt(init_n.decls)
            elif init_n is not None:
                init = ir.ExprStmt(self.stmt_loc(init_n), self.expr(init_n))
            cond = self.expr(cond_n) if cond_n is not None else None
            step = self.expr(step_n) if step_n is not None else None
            body = self.stmt(n.stmt)
        finally:
            if isinstance(init_n, c_ast.DeclList):
                self.scopes.pop()
        return ir.For(loc, init, cond, step, body)

    # ------------------------------------------------ expressions: where clang locates them
    def begin(self, n):
        """The coordinate of an expression's first token, its parentheses included."""
        paren = self.info(n).get("paren")
        if paren is not None:
            return paren
        return self._intrinsic_begin(n)

    def _intrinsic_begin(self, n):
        if isinstance(n, c_ast.UnaryOp) and n.op in ("p++", "p--"):
            return self.begin(n.expr)
        if isinstance(n, c_ast.BinaryOp):
            return self.begin(n.left)
        if isinstance(n, c_ast.Assignment):
            return self.begin(n.lvalue)
        if isinstance(n, c_ast.TernaryOp):
            return self.begin(n.cond)
        if isinstance(n, GnuCond):
            return self.begin(n.cond)
        if isinstance(n, (c_ast.FuncCall, c_ast.ArrayRef, c_ast.StructRef)):
            return self.begin(n.name)
        if isinstance(n, c_ast.ExprList):
            return self.begin(n.exprs[0])
        return n.coord

    def expr_loc_coord(self, n):
        """clang_getCursorLocation of an expression: its begin, except a member's field name."""
        if isinstance(n, c_ast.StructRef):
            return n.field.coord
        return self._intrinsic_begin(n)

    def expr(self, n) -> ir.Expr:
        loc = self.loc(self.expr_loc_coord(n))
        if isinstance(n, c_ast.Constant):
            return self.constant(n, loc)
        if isinstance(n, c_ast.ID):
            return self.name(n, loc)
        if isinstance(n, c_ast.UnaryOp):
            op = n.op
            if op == "sizeof":
                t = self.sema.decl_type(n.expr) if isinstance(n.expr, c_ast.Typename) else self.sema.type_of(n.expr)
                return ir.SizeOf(loc, T.sizeof(t) if not _is_vla(t) else None)
            if op == "_Alignof":
                t = self.sema.decl_type(n.expr) if isinstance(n.expr, c_ast.Typename) else self.sema.type_of(n.expr)
                return ir.SizeOf(loc, T.alignof(t))
            return ir.Unary(loc, _UNARY.get(op, op), self.expr(n.expr))
        if isinstance(n, c_ast.BinaryOp):
            return ir.Binary(loc, n.op, self.expr(n.left), self.expr(n.right))
        if isinstance(n, c_ast.Assignment):
            return ir.Assign(loc, n.op, self.expr(n.lvalue), self.expr(n.rvalue))
        if isinstance(n, c_ast.TernaryOp):
            return ir.Cond(loc, self.expr(n.cond), self.expr(n.iftrue), self.expr(n.iffalse))
        if isinstance(n, c_ast.FuncCall):
            return self.call(n, loc)
        if isinstance(n, c_ast.StructRef):
            return ir.Member(loc, self.expr(n.name), n.field.name, n.type == "->")
        if isinstance(n, c_ast.ArrayRef):
            return ir.Index(loc, self.expr(n.name), self.expr(n.subscript))
        if isinstance(n, c_ast.Cast):
            return ir.Cast(loc, self.irt(self.sema.decl_type(n.to_type)), self.expr(n.expr))
        if isinstance(n, c_ast.CompoundLiteral):
            t = self.sema.type_of(n)
            return ir.Cast(loc, self.irt(t), self.expr(n.init))
        if isinstance(n, c_ast.ExprList):
            out = self.expr(n.exprs[0])
            for e in n.exprs[1:]:
                out = ir.Binary(loc, ",", out, self.expr(e))
            return out
        if isinstance(n, c_ast.InitList):
            return self.init_list(n, loc)
        if isinstance(n, StmtExpr):
            return ir.StmtExpr(loc, self.compound(n.body))
        if isinstance(n, VaArg):
            # libclang: an unexposed expression; with the `ap` operand its only child, that child
            if self.type_children(n.typ):
                return self._unsupported_expr(n, loc, "UNEXPOSED_EXPR")
            return self.expr(n.expr)
        if isinstance(n, TypesCompatible):
            children = self.type_children(n.t1) + self.type_children(n.t2)
            if len(children) == 1:
                return self._lower_child(children[0])
        if isinstance(n, (OffsetOf, TypesCompatible, Generic)):
            v = self.sema.eval(n)
            if v is not None:
                return ir.IntLit(loc, v)
            if isinstance(n, Generic):
                chosen = self.sema.generic_choice(n)
                if chosen is not None:
                    return self.expr(chosen)
                return self._unsupported_expr(n, loc, "GENERIC_SELECTION_EXPR")
            return self._unsupported_expr(n, loc, "UNEXPOSED_EXPR")
        if isinstance(n, GnuCond):
            return lowering.elvis(loc, self.expr(n.cond), self.expr(n.other), self.irt(self.sema.type_of(n)))
        if isinstance(n, AddrLabel):
            return self._unsupported_expr(n, loc, "ADDR_LABEL_EXPR")
        return self._unsupported_expr(n, loc, type(n).__name__)

    def _unsupported_expr(self, n, loc, what):
        self.unsupported(self.expr_loc_coord(n), what)
        return ir.Unsupported(loc, what)

    def constant(self, n, loc) -> ir.Expr:
        if n.type == "string":
            return ir.StrLit(loc, string_value(n.value)[0])
        if n.type == "char":
            return ir.IntLit(loc, char_value(n.value)[0])
        if n.type in ("float", "double", "long double"):
            self.unsupported(n.coord, "FLOATING_LITERAL")
            return ir.Unsupported(loc, "FLOATING_LITERAL")
        return ir.IntLit(loc, int_literal(n.value)[0])

    def name(self, n, loc, callee: bool = False) -> ir.Expr:
        if n.name in _FUNC_NAMES and self.scopes.lookup(n.name) is None:
            return ir.StrLit(loc, self.sema.func_name)
        sym = self.scopes.lookup(n.name)
        if sym is None or sym.kind == "typedef":
            if callee or n.name.startswith("__builtin_"):
                return ir.Name(loc, n.name, "func")
            if self.stubs:
                t = self.tok(n.coord)
                if self.first_error is None:
                    self.first_error = FrontendError(self.path, f"use of undeclared identifier '{n.name}'",
                                                     t.line if t else 0, t.col if t else 0)
                if t is not None and t.file == self.path:
                    self.errors.append((t.line, f"use of undeclared identifier '{n.name}'"))
                return ir.Name(loc, n.name, "unknown")
            raise SemaError(f"use of undeclared identifier '{n.name}'", n.coord)
        if sym.kind == "enum":
            return ir.Name(loc, n.name, "enum", sym.value)
        return ir.Name(loc, n.name, sym.kind)

    def call(self, n, loc) -> ir.Expr:
        callee = n.name
        if isinstance(callee, c_ast.ID) and callee.name == "__builtin_choose_expr":
            v = self.sema.eval(n)
            if v is not None:
                return ir.IntLit(loc, v)
            parts = n.args.exprs if n.args is not None else []
            if len(parts) != 3:
                return self._unsupported_expr(n, loc, "CHOOSE_EXPR")
            cond = self.sema.eval(parts[0])
            if cond is not None:
                return self.expr(parts[1] if cond else parts[2])
            return ir.Cond(loc, self.expr(parts[0]), self.expr(parts[1]), self.expr(parts[2]))
        if isinstance(callee, c_ast.ID) and self.info(callee).get("paren") is None:
            fn = self.name(callee, self.loc(callee.coord), callee=True)
        else:
            fn = self.expr(callee)
        args = tuple(self.expr(a) for a in (n.args.exprs if n.args is not None else ()))
        return ir.Call(loc, fn, args)

    def init_list(self, n, loc) -> ir.InitList:
        items: List[ir.InitItem] = []
        for x in n.exprs or ():
            if isinstance(x, c_ast.NamedInitializer):
                desig: List = []
                for d in x.name:
                    if isinstance(d, c_ast.ID):
                        desig.append(d.name)
                    else:
                        break
                if desig:
                    items.append(ir.InitItem(tuple(desig), self.expr(x.expr)))
                    continue
                first = x.name[0] if x.name else None
                idx = self.sema.eval(first.expr) if hasattr(first, "expr") else None
                items.append(ir.InitItem((idx if isinstance(idx, int) else 0,), self.expr(x.expr)))
                continue
            items.append(ir.InitItem((), self.expr(x)))
        rb = self.tok(self.info(n).get("rbrace"))
        end = ir.Location(rb.file, rb.eline, max(rb.ecol, 1)) if rb is not None else ir.NOWHERE
        return ir.InitList(loc, tuple(items), end)


_KEYWORDS = {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool",
             "_Complex", "__int128"}


def _is_auto_type(node) -> bool:
    t = node.type
    return isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType) \
        and t.type.names == [AUTO_TYPE]


def _is_vla(t) -> bool:
    while t is not None and t.kind == "array":
        if t.size is None:
            return True
        t = t.target
    return False


def _is_expr_node(n) -> bool:
    return isinstance(n, (c_ast.Constant, c_ast.ID, c_ast.UnaryOp, c_ast.BinaryOp, c_ast.Assignment,
                          c_ast.TernaryOp, c_ast.FuncCall, c_ast.StructRef, c_ast.ArrayRef, c_ast.Cast,
                          c_ast.CompoundLiteral, c_ast.ExprList, c_ast.InitList, StmtExpr, VaArg, OffsetOf,
                          TypesCompatible, GnuCond, AddrLabel, Generic))


def _name_coord(node):
    """The coordinate of the name a declarator declares."""
    t = node.type if isinstance(node, (c_ast.Decl, c_ast.Typedef, c_ast.Typename)) else node
    while t is not None and not isinstance(t, c_ast.TypeDecl):
        t = getattr(t, "type", None)
    if t is not None and t.coord is not None:
        return t.coord
    return node.coord


def _groups(ext, info) -> List[List]:
    """Top-level declarations grouped by the declaration they were written in."""
    out: List[List] = []
    prev = None
    for node in ext:
        start = info(node).get("start")
        if out and start is not None and start == prev and not isinstance(node, c_ast.FuncDef) \
                and not isinstance(out[-1][-1], c_ast.FuncDef):
            out[-1].append(node)
        else:
            out.append([node])
        prev = start
    return out
