"""The libclang front end: parses a C file with the chosen headers and lowers its declarations into the IR."""
from __future__ import annotations

import codecs
import dataclasses
import os
import re
import threading
from typing import Dict, List, Optional

import clang.cindex as ci

from klplint import ir
from klplint.frontend import flags as flagmod
from klplint.frontend import lowering
from klplint.frontend.libclang import clang_api, pch
from klplint.frontend.records import reachable_records
from klplint.frontend.source import FrontendError
from klplint.frontend.strict import UnsupportedConstruct, strict_mode

CK = ci.CursorKind
TK = ci.TypeKind

# Missing includes are served empty from this virtual directory, searched last (-idirafter), so a
# header the bundle lacks never stops the analysis; each one becomes a note.
STUB_DIR = "/__klplint_missing_includes__"
_MISSING_RE = re.compile(r"'([^']+)' file not found")

_index_lock = threading.Lock()
_index: Optional[ci.Index] = None


def load_library() -> ci.Index:
    """One libclang index per process (the --jobs workers each make their own)."""
    global _index
    with _index_lock:
        if _index is None:
            _index = ci.Index.create()
        return _index


def parse(path: str, text: str, config) -> ir.TranslationUnit:
    try:
        index = load_library()
    except Exception as e:  # noqa: BLE001 - libclang missing or broken: the caller falls back
        raise FrontendError(path, f"libclang cannot be loaded ({e}); use --frontend pycparser")
    try:
        args = flagmod.flags_for(path, config) + ["-idirafter", STUB_DIR, "-ferror-limit=20"]
    except flagmod.FlagsError as e:
        raise FrontendError(path, str(e))
    marked = alias_marker_applies(text)
    tu, stubs, pch_files = _parse(index, path, text, args + [ALIAS_AS_ANNOTATION] if marked else args)
    errors = _errors(path, tu)
    if errors and marked:
        # Something read `alias(...)` as other than the attribute (a header's own function or macro of
        # that name): the file is parsed as written, at the cost of the alias lookup.
        tu, stubs, pch_files = _parse(index, path, text, args)
        errors = _errors(path, tu)
    if errors and not stubs:
        raise errors[0]
    lowerer = _Lowerer(tu, path, strict_mode(config) and not stubs, errors)
    unit = lowerer.lower()
    notes = tuple(ir.Note(ir.Location(path, line, 1), f"header <{name}> not found; analysed without it",
                          "missing-include") for name, line in stubs)
    # With a header missing, clang's errors are expected (its types are unknown): what it could
    # parse is still analysed, and the first error says why the result may be partial.
    notes += tuple(ir.Note(ir.Location(path, e.line or 1, e.col or 1),
                           f"analysis may be incomplete without the missing header(s): {e.reason}",
                           "diagnostic") for e in errors[:1]) + unit.notes
    includes = tuple(sorted(set(_included_files(tu)) | set(pch_files))) if pch_files else _included_files(tu)
    return ir.TranslationUnit(unit.path, unit.functions, unit.variables, includes, notes,
                              lowerer.records())


# `module_init(fn)` declares init_module with __attribute__((alias("fn"))). In C, clang handles that
# attribute with a lookup of "fn" in the translation unit's declaration context, and a C precompiled
# header has no lookup table for the translation unit (clang writes them for C++ only), so the lookup
# deserializes every declaration the PCH holds: ~30 of the ~35 ms of a kernel module's parse. The
# analysis needs only the alias's target name, so the attribute is read as an annotation carrying it
# (no lookup); `attrs` maps it back. Only the `alias(...)` spelling changes: the kernel's own
# `__alias(sym)` spells `__alias__` and keeps clang's meaning.
ALIAS_ANNOTATION = "klplint.alias="
ALIAS_AS_ANNOTATION = f'-Dalias(target)=annotate("{ALIAS_ANNOTATION}" target)'
# alias( followed by a string, a stringified macro argument or the kernel's __stringify: the attribute.
_ALIAS_USE_RE = re.compile(r"\balias\s*\(")
_ALIAS_ATTRIBUTE_RE = re.compile(r"\balias\s*\(\s*(?:\"|#|__stringify\s*\()")


def alias_marker_applies(text: str) -> bool:
    """Can the file be parsed with `alias(...)` read as an annotation? Not when its own code uses the
    name `alias(` for anything but the attribute (a function, a macro): that would change its meaning."""
    return len(_ALIAS_USE_RE.findall(text)) == len(_ALIAS_ATTRIBUTE_RE.findall(text))


def _parse(index, path, text, args):
    """(tu, stubs, files a PCH read): with the kernel headers of the file's preamble from a
    precompiled header when one applies (pch.py), else a plain parse."""
    got = pch.parse(path, text, args, _parse_with_stubs, _errors)
    return got if got is not None else (*_parse_with_stubs(index, path, text, args), ())


def _parse_with_stubs(index, path, text, args):
    stubs: List[tuple] = []          # (include name, line in the main file or 0)
    unsaved = [(path, text)]
    for _ in range(32):
        try:
            tu = index.parse(path, args=args, unsaved_files=unsaved,
                             options=ci.TranslationUnit.PARSE_INCOMPLETE * 0)
        except ci.TranslationUnitLoadError as e:
            raise FrontendError(path, f"libclang could not parse the file ({e})")
        missing = []
        for d in tu.diagnostics:
            if d.severity >= ci.Diagnostic.Fatal:
                m = _MISSING_RE.search(d.spelling)
                if m and not any(m.group(1) == s for s, _ in stubs):
                    line = d.location.line if d.location.file and d.location.file.name == path else 0
                    missing.append((m.group(1), line))
        if not missing:
            return tu, stubs
        for name, line in missing:
            stubs.append((name, line))
            unsaved.append((os.path.join(STUB_DIR, name), "/* klplint: header not available */\n"))
    raise FrontendError(path, "too many missing headers")


def _errors(path: str, tu) -> List[FrontendError]:
    out = []
    for d in tu.diagnostics:
        if d.severity >= ci.Diagnostic.Error:
            loc = d.location
            where = f"{loc.file.name}:{loc.line}:{loc.column}: " if loc.file else ""
            msg = d.spelling
            if "nested too deeply" in msg:
                msg = "include cycle (" + msg + ")"
            out.append(FrontendError(path, f"parse error: {where}{msg}",
                                     loc.line if loc.file and loc.file.name == path else 0,
                                     loc.column if loc.file and loc.file.name == path else 0))
    return out


def _included_files(tu) -> tuple:
    seen = set()
    for inc in tu.get_includes():
        name = inc.include.name
        if not name.startswith(STUB_DIR):
            seen.add(name)
    return tuple(sorted(seen))


_SECTION_RE = re.compile(r'section\s*\(\s*"([^"]*)"')
_ALIAS_RE = re.compile(r'alias\s*\(\s*"([^"]*)"')
_CLEANUP_RE = re.compile(r'cleanup\s*\(\s*(\w+)\s*\)')

_INT_KINDS = {TK.CHAR_U, TK.UCHAR, TK.CHAR16, TK.CHAR32, TK.USHORT, TK.UINT, TK.ULONG, TK.ULONGLONG,
              TK.UINT128, TK.CHAR_S, TK.SCHAR, TK.WCHAR, TK.SHORT, TK.INT, TK.LONG, TK.LONGLONG,
              TK.INT128}
_FLOAT_KINDS = {TK.FLOAT, TK.DOUBLE, TK.LONGDOUBLE, TK.HALF, TK.FLOAT128}
_STORAGE = {ci.StorageClass.STATIC: "static", ci.StorageClass.EXTERN: "extern"}


class _Lowerer:
    def __init__(self, tu, path: str, strict: bool, errors=()):
        self.tu = tu
        # lines of the main file with an error: what clang dropped there was rejected, not unsupported
        self._errors = [e for e in errors if e.line]
        self._decl_end = 0
        self._function: Optional[str] = None    # the function being lowered
        self._cleanups: List[str] = []      # functions __attribute__((cleanup)) names, in order
        self.path = path
        self.strict = strict
        self.notes: List[ir.Note] = []
        self.types: Dict[str, ir.Type] = {}
        self._record_decls: Dict[str, ci.Cursor] = {}
        self._globals: List[ir.VarDecl] = []

    # ------------------------------------------------------------ top level
    def lower(self) -> ir.TranslationUnit:
        functions, variables = [], []
        own = [c for c in self.tu.cursor.get_children()
               if c.location.file is not None and (c.location.file.name == self.path or c.location.file.name.endswith(".c"))]
        for i, c in enumerate(own):     # headers contribute types, not declarations
            if c.kind == CK.FUNCTION_DECL:
                functions.append(self.function_or_note(c))
            elif c.kind == CK.VAR_DECL:
                # where the declaration ends: clang's extent stops at the declarator when it
                # dropped the initializer, so up to the next declaration of the file
                nxt = next((x.extent.start.line for x in own[i + 1:] if x.location.file.name == self.path), 10**9)
                self._decl_end = max(c.extent.end.line, nxt - 1)
                variables.append(self.var(c, is_global=True))
        self._globals = variables
        functions += self.cleanup_functions({f.name for f in functions})
        return ir.TranslationUnit(self.path, tuple(functions), tuple(variables), (), tuple(self.notes))

    def cleanup_functions(self, have) -> List[ir.FunctionDecl]:
        """The header functions __attribute__((cleanup)) names (cleanup.h defines them as static
        inline), lowered so the executor runs them at scope exit; with a guard's destructor
        (cleanup.h's class_<name>_destructor), the constructor that took the lock."""
        want = set()
        for name in self._cleanups:
            want.add(name)
            m = re.fullmatch(r"class_(\w+)_destructor", name)
            if m:
                want.add(f"class_{m.group(1)}_constructor")
        want -= set(have)
        out = []
        if not want:
            return out
        for c in self.tu.cursor.get_children():
            if c.kind == CK.FUNCTION_DECL and c.spelling in want and c.is_definition():
                want.discard(c.spelling)
                out.append(self.function_or_note(c))
        return out

    def records(self) -> tuple:
        """Field names of the structs reachable from the file's globals (see ir.TranslationUnit)."""
        def fields_of(name):
            decl = self._record_decls.get(name)
            if decl is None:
                return None
            return [("" if "(anonymous" in f.spelling or "(unnamed" in f.spelling else f.spelling, self.type(f.type))
                    for f in decl.type.get_fields()]
        return reachable_records([v.type for v in self._globals], fields_of)

    def loc(self, c) -> ir.Location:
        l = c.location
        return ir.Location(l.file.name if l.file else self.path, l.line, l.column)

    def attrs(self, c):
        """(section, alias) from attributes, resolved through macros by clang's printer; an alias read
        as klplint's annotation (ALIAS_AS_ANNOTATION) from the annotation itself."""
        kinds = [ch for ch in c.get_children() if ch.kind.is_attribute()]
        if not kinds:
            return None, None
        marked = next((ch.spelling[len(ALIAS_ANNOTATION):] for ch in kinds if ch.kind == CK.ANNOTATE_ATTR
                       and ch.spelling.startswith(ALIAS_ANNOTATION)), None)
        if marked is not None and len(kinds) == 1:
            return None, marked                       # module_init's declaration: nothing else to read
        text = clang_api.pretty_declaration(c)
        s = _SECTION_RE.search(text)
        a = _ALIAS_RE.search(text)
        return (s.group(1) if s else None), (marked if marked is not None else a.group(1) if a else None)

    def function_or_note(self, c) -> ir.FunctionDecl:
        """A lowering failure costs only its function: a note, and a body the executor stops in."""
        try:
            return self.function(c)
        except UnsupportedConstruct:
            raise
        except Exception as e:  # noqa: BLE001 - clang's error recovery produces trees of any shape
            if self.strict:
                raise
            loc = self.loc(c)
            why = f"{c.spelling}() could not be lowered ({type(e).__name__}: {e})"
            self.notes.append(lowering.unsupported_note(loc, why, bool(self._rejected(loc.line, loc.line + 10**6)),
                                                        c.spelling))
            return ir.FunctionDecl(c.spelling, self.type(c.type), (), lowering.failed_function_body(loc, why),
                                   _STORAGE.get(c.storage_class, "none"), None, loc)

    def _rejected(self, first: int, last: int) -> str:
        """The first error clang reported between two lines of the main file, or ''."""
        for e in self._errors:
            if e.line and first <= e.line <= last:
                return e.reason
        return ""

    def function(self, c) -> ir.FunctionDecl:
        params = tuple(ir.Param(a.spelling, self.type(a.type), self.loc(a)) for a in c.get_arguments())
        body = None
        if c.is_definition():
            self._function = c.spelling
            try:
                for ch in c.get_children():
                    if ch.kind == CK.COMPOUND_STMT:
                        body = self.stmt(ch)
            finally:
                self._function = None
        section, alias = self.attrs(c)
        return ir.FunctionDecl(c.spelling, self.type(c.type), params, body,
                               _STORAGE.get(c.storage_class, "none"), section, self.loc(c), alias)

    def var(self, c, is_global: bool) -> ir.VarDecl:
        init_c = clang_api.var_initializer(c)
        init = self.expr(init_c) if init_c is not None else None
        section, _ = self.attrs(c)
        storage = _STORAGE.get(c.storage_class, "none" if is_global else "auto")
        # An error inside the declaration: clang dropped what it could not parse of the initializer.
        invalid = self._rejected(c.extent.start.line, max(c.extent.end.line, self._decl_end)) \
            if is_global and self._errors else ""
        return ir.VarDecl(c.spelling, self.type(c.type), init, storage, section, self.loc(c), is_global,
                          invalid, self.cleanup_of(c))

    def cleanup_of(self, c) -> Optional[str]:
        """The function of __attribute__((cleanup(fn))) on a local variable."""
        for ch in c.get_children():
            if ch.kind.is_attribute() or ch.kind == CK.UNEXPOSED_ATTR:
                break
        else:
            return None
        m = _CLEANUP_RE.search(clang_api.pretty_declaration(c))
        if m is None:
            return None
        if m.group(1) not in self._cleanups:
            self._cleanups.append(m.group(1))
        return m.group(1)

    # ------------------------------------------------------------ types
    def type(self, t) -> ir.Type:
        t = t.get_canonical()
        key = f"{t.kind.value}|{t.spelling}"
        cached = self.types.get(key)
        if cached is None:
            cached = self.types[key] = self._type(t)
        return cached

    def _type(self, t) -> ir.Type:
        const = t.is_const_qualified()
        k = t.kind
        if k == TK.VOID:
            return ir.Type("void", "void", const=const)
        if k == TK.BOOL:
            return ir.Type("bool", "_Bool", const=const)
        if k in _INT_KINDS:
            name = re.sub(r"\b(const|volatile|restrict)\b\s*", "", t.spelling).strip()
            return ir.Type("int", name, const=const)
        if k in _FLOAT_KINDS:
            return ir.Type("float", re.sub(r"\b(const|volatile)\b\s*", "", t.spelling).strip(), const=const)
        if k == TK.POINTER:
            return ir.Type("ptr", target=self.type(t.get_pointee()), const=const)
        if k in (TK.CONSTANTARRAY, TK.INCOMPLETEARRAY, TK.VARIABLEARRAY):
            size = t.element_count if k == TK.CONSTANTARRAY else None
            elem = self.type(t.element_type)
            if const and not elem.const:
                # C puts an array's qualifiers on its elements; clang reports them on the array
                elem = dataclasses.replace(elem, const=True)
            return ir.Type("array", target=elem, size=size)
        if k == TK.RECORD:
            decl = t.get_declaration()
            kind = "union" if decl.kind == CK.UNION_DECL else "struct"
            name = "" if decl.is_anonymous() or "(unnamed" in decl.spelling or "(anonymous" in decl.spelling \
                else decl.spelling
            if name:
                self._record_decls.setdefault(name, decl)
            return ir.Type(kind, name, const=const)
        if k == TK.ENUM:
            decl = t.get_declaration()
            name = "" if "(unnamed" in decl.spelling or "(anonymous" in decl.spelling else decl.spelling
            return ir.Type("enum", name, const=const)
        if k == TK.FUNCTIONPROTO:
            return ir.Type("func", target=self.type(t.get_result()),
                           params=tuple(self.type(a) for a in t.argument_types()),
                           variadic=t.is_function_variadic())
        if k == TK.FUNCTIONNOPROTO:
            return ir.Type("func", target=self.type(t.get_result()))
        return ir.Type("other", t.spelling, const=const)

    # ------------------------------------------------------------ unsupported
    def unsupported(self, c, what: str):
        loc = self.loc(c)
        if self.strict:
            raise UnsupportedConstruct(f"{loc}: the libclang lowering does not handle {what}")
        rejected = c.type.kind == TK.INVALID if c.kind.is_expression() else False
        rejected = rejected or bool(self._rejected(c.extent.start.line, c.extent.end.line))
        self.notes.append(lowering.unsupported_note(loc, what, rejected, self._function))
        return loc

    # ------------------------------------------------------------ statements
    def stmt(self, c) -> ir.Stmt:
        k = c.kind
        loc = self.loc(c)
        ch = list(c.get_children())
        if k == CK.COMPOUND_STMT:
            return ir.Compound(loc, tuple(self.stmt(x) for x in ch))
        if k == CK.DECL_STMT:
            return ir.DeclStmt(loc, tuple(self.var(x, is_global=False) for x in ch if x.kind == CK.VAR_DECL))
        if k == CK.IF_STMT:
            return ir.If(loc, self.expr(ch[0]), self.stmt(ch[1]), self.stmt(ch[2]) if len(ch) > 2 else None)
        if k == CK.SWITCH_STMT:
            return ir.Switch(loc, self.expr(ch[0]), self.stmt(ch[-1]))
        if k == CK.CASE_STMT:
            return ir.Case(loc, self.expr(ch[0]), self.stmt(ch[-1]))
        if k == CK.DEFAULT_STMT:
            return ir.Default(loc, self.stmt(ch[0]))
        if k == CK.WHILE_STMT:
            return ir.While(loc, self.expr(ch[0]), self.stmt(ch[1]))
        if k == CK.DO_STMT:
            return ir.DoWhile(loc, self.stmt(ch[0]), self.expr(ch[1]))
        if k == CK.FOR_STMT:
            return self.for_stmt(c, ch, loc)
        if k == CK.RETURN_STMT:
            return ir.Return(loc, self.expr(ch[0]) if ch else None)
        if k == CK.GOTO_STMT:
            return ir.Goto(loc, ch[0].spelling if ch else "")
        if k == CK.LABEL_STMT:
            return ir.Label(loc, c.spelling, self.stmt(ch[0]) if ch else ir.Empty(loc))
        if k == CK.BREAK_STMT:
            return ir.Break(loc)
        if k == CK.CONTINUE_STMT:
            return ir.Continue(loc)
        if k == CK.NULL_STMT:
            return ir.Empty(loc)
        if k == CK.UNEXPOSED_STMT and len(ch) == 1 and (ch[0].kind.is_statement() or ch[0].kind.is_expression()):
            # an attributed statement: `fallthrough;`, `__attribute__((...)) stmt`
            return self.stmt(ch[0])
        if k in (CK.ASM_STMT, CK.MS_ASM_STMT):
            # Inline asm (barriers, alternatives in real headers) is an opaque call: no finding.
            return ir.ExprStmt(loc, ir.Call(loc, ir.Name(loc, "__asm__", "func"), ()))
        if k.is_expression() or k == CK.UNEXPOSED_EXPR:
            return ir.ExprStmt(loc, self.expr(c))
        self.unsupported(c, k.name)
        return ir.UnsupportedStmt(loc, k.name)

    def for_stmt(self, c, ch, loc) -> ir.For:
        body = self.stmt(ch[-1])
        parts = ch[:-1]
        present = [True, True, True]
        if len(parts) < 3:
            present = self._for_parts(c) or ([True] * len(parts) + [False] * (3 - len(parts)))
            if sum(present) != len(parts):
                # clang dropped a clause it rejected (error recovery): the loop cannot be rebuilt
                self.unsupported(c, "FOR_STMT")
                return ir.UnsupportedStmt(loc, "FOR_STMT")
        it = iter(parts)
        init_c = next(it) if present[0] else None
        cond_c = next(it) if present[1] else None
        step_c = next(it) if present[2] else None
        init = None
        if init_c is not None:
            init = self.stmt(init_c) if init_c.kind == CK.DECL_STMT else ir.ExprStmt(self.loc(init_c), self.expr(init_c))
        return ir.For(loc, init, self.expr(cond_c) if cond_c is not None else None,
                      self.expr(step_c) if step_c is not None else None, body)

    @staticmethod
    def _for_parts(c):
        """Which of init; cond; step a `for` header has, read off its tokens (libclang omits empty ones)."""
        toks = [t.spelling for t in c.get_tokens()]
        if len(toks) < 4 or toks[0] != "for" or toks[1] != "(":
            return None
        depth, segs, cur = 0, [], 0
        for t in toks[2:]:
            if t in "([{":
                depth += 1
            elif t in ")]}":
                if depth == 0:
                    segs.append(cur)
                    break
                depth -= 1
            elif t == ";" and depth == 0:
                segs.append(cur)
                cur = 0
                continue
            cur += 1
        if len(segs) != 3:
            return None
        return [n > 0 for n in segs]

    # ------------------------------------------------------------ expressions
    def expr(self, c) -> ir.Expr:
        k = c.kind
        loc = self.loc(c)
        if k in (CK.INTEGER_LITERAL, CK.CHARACTER_LITERAL):
            v = clang_api.evaluate(c)
            return ir.IntLit(loc, v if isinstance(v, int) else 0)
        if k == CK.STRING_LITERAL:
            return ir.StrLit(loc, _string_value(c))
        if k == CK.DECL_REF_EXPR:
            return self.decl_ref(c, loc)
        ch = list(c.get_children())
        if k == CK.PAREN_EXPR:
            return self.expr(ch[0])
        if k == CK.MEMBER_REF_EXPR:
            if not ch:
                return ir.Name(loc, c.spelling, "unknown")
            base = self.expr(ch[0])
            arrow = ch[0].type.get_canonical().kind == TK.POINTER
            return ir.Member(loc, base, c.spelling, arrow)
        if k == CK.CALL_EXPR:
            if not ch:
                return ir.Call(loc, ir.Name(loc, c.spelling, "func"), ())
            return ir.Call(loc, self.expr(ch[0]), tuple(self.expr(a) for a in ch[1:]))
        if k == CK.UNARY_OPERATOR:
            op = clang_api.unary_op(c)
            if op == "__extension__" or op is None and ch:
                return self.expr(ch[0])
            return ir.Unary(loc, op, self.expr(ch[0]))
        if k in (CK.BINARY_OPERATOR, CK.COMPOUND_ASSIGNMENT_OPERATOR):
            op = clang_api.binary_op(c) or "?"
            lhs, rhs = self.expr(ch[0]), self.expr(ch[1])
            if op.endswith("=") and op not in ("==", "!=", "<=", ">="):
                return ir.Assign(loc, op, lhs, rhs)
            return ir.Binary(loc, op, lhs, rhs)
        if k == CK.CONDITIONAL_OPERATOR and len(ch) == 3:
            return ir.Cond(loc, self.expr(ch[0]), self.expr(ch[1]), self.expr(ch[2]))
        if k == CK.CSTYLE_CAST_EXPR:
            operand = [x for x in ch if x.kind != CK.TYPE_REF and not x.kind.is_reference()]
            return ir.Cast(loc, self.type(c.type), self.expr(operand[-1]))
        if k == CK.ARRAY_SUBSCRIPT_EXPR:
            return ir.Index(loc, self.expr(ch[0]), self.expr(ch[1]))
        if k == CK.INIT_LIST_EXPR:
            return self.init_list(c, ch, loc)
        if k == CK.COMPOUND_LITERAL_EXPR:
            inner = [x for x in ch if x.kind == CK.INIT_LIST_EXPR]
            return ir.Cast(loc, self.type(c.type), self.expr(inner[0]) if inner else ir.InitList(loc, ()))
        if k == CK.CXX_UNARY_EXPR:   # sizeof / _Alignof
            v = clang_api.evaluate(c)
            return ir.SizeOf(loc, v if isinstance(v, int) else None)
        if k == CK.GNU_NULL_EXPR:
            return ir.IntLit(loc, 0)
        if k == CK.UNEXPOSED_EXPR or k.name in ("STMT_EXPR", "StmtExpr"):
            stmts = [x for x in ch if x.kind == CK.COMPOUND_STMT]
            if stmts:
                return ir.StmtExpr(loc, self.stmt(stmts[0]))
            if len(ch) == 1:
                return self.expr(ch[0])   # implicit conversions
            gnu = self.gnu_expr(c, ch, loc)
            if gnu is not None:
                return gnu
        if k.name == "GENERIC_SELECTION_EXPR" and ch:
            chosen = self.generic_choice(c, ch)
            if chosen is not None:
                return chosen
        v = clang_api.evaluate(c) if k.is_expression() else None
        if isinstance(v, int):
            return ir.IntLit(loc, v)
        self.unsupported(c, k.name)
        return ir.Unsupported(loc, k.name)

    def gnu_expr(self, c, ch, loc) -> Optional[ir.Expr]:
        """The GNU and clang builtins libclang leaves unexposed: `a ?: b`, __builtin_choose_expr,
        __atomic_* (clang's AtomicExpr); None for anything else."""
        if c.type.kind == TK.INVALID or not all(x.kind.is_expression() for x in ch):
            return None     # __builtin_offsetof (type and member references), error recovery
        def same(a, b) -> bool:
            return (a.extent.start.offset, a.extent.end.offset) == (b.extent.start.offset, b.extent.end.offset)
        if len(ch) == 4 and same(ch[0], ch[1]) and same(ch[0], ch[2]):
            # BinaryConditionalOperator: common expression, two opaque uses of it, the other side
            return lowering.elvis(loc, self.expr(ch[0]), self.expr(ch[3]), self.type(c.type))
        if len(ch) == 2 and ch[0].kind != CK.MEMBER_REF and "?" in [t.spelling for t in c.get_tokens()]:
            return lowering.elvis(loc, self.expr(ch[0]), self.expr(ch[1]), self.type(c.type))
        first = _first_token(c)
        if first is not None and first.startswith(("__atomic_", "__c11_atomic_")) or \
                len(ch) >= 2 and ch[0].type.get_canonical().kind == TK.POINTER and \
                (first is None or not first.startswith("__builtin")):
            # clang keeps an atomic builtin's operands in its own order (pointer, order, value):
            # the call takes them in source order
            name = first if first is not None and first.startswith(("__atomic_", "__c11_atomic_")) else "__atomic"
            args = sorted(ch, key=lambda x: (x.extent.start.line, x.extent.start.column))
            return ir.Call(loc, ir.Name(loc, name, "func"), tuple(self.expr(a) for a in args))
        if len(ch) == 3 and ch[0].type.get_canonical().kind in _INT_KINDS | {TK.BOOL}:
            # __builtin_choose_expr(const, a, b): clang resolved it to one branch
            whole = clang_api.evaluate(c)
            if isinstance(whole, int):
                return ir.IntLit(loc, whole)
            cond = clang_api.evaluate(ch[0])
            if isinstance(cond, int):
                return self.expr(ch[1] if cond else ch[2])
            want = c.type.get_canonical().spelling
            typed = [x for x in ch[1:] if x.type.get_canonical().spelling == want]
            if len(typed) == 1:
                return self.expr(typed[0])
            return ir.Cond(loc, self.expr(ch[0]), self.expr(ch[1]), self.expr(ch[2]))
        return None

    def generic_choice(self, c, ch) -> Optional[ir.Expr]:
        """The association clang selected in a _Generic: libclang lists all of them and does not
        say which, so the one of the selection's type (and, among several, the only one that is
        not a constant; when several remain, a choice among them)."""
        whole = clang_api.evaluate(c)
        if isinstance(whole, int):
            return None     # the caller's constant folding gives the value
        want = c.type.get_canonical().spelling
        typed = [x for x in ch[1:] if x.type.get_canonical().spelling == want]
        if len(typed) > 1:
            typed = [x for x in typed if not isinstance(clang_api.evaluate(x), int)]
        if len(typed) > 1:
            # still several (seqcount's __seqprop(): one helper per lock type, same result type):
            # any of them, each on its own path (an opaque test per association)
            loc = self.loc(c)
            out = self.expr(typed[-1])
            for x in reversed(typed[:-1]):
                out = ir.Cond(loc, ir.Call(loc, ir.Name(loc, "_Generic", "func"), ()), self.expr(x), out)
            return out
        return self.expr(typed[0]) if len(typed) == 1 else None

    def decl_ref(self, c, loc) -> ir.Expr:
        ref = c.referenced
        if ref is None:
            return ir.Name(loc, c.spelling, "unknown")
        rk = ref.kind
        if rk == CK.ENUM_CONSTANT_DECL:
            return ir.Name(loc, c.spelling, "enum", ref.enum_value)
        if rk == CK.FUNCTION_DECL:
            # clang names a __sync builtin after its operand size (__sync_fetch_and_add_4)
            return ir.Name(loc, _SYNC_SIZED.sub(r"\1", c.spelling), "func")
        if rk == CK.PARM_DECL:
            return ir.Name(loc, c.spelling, "param")
        if rk == CK.VAR_DECL:
            par = ref.semantic_parent
            is_local = par is not None and par.kind == CK.FUNCTION_DECL and ref.storage_class != ci.StorageClass.STATIC
            if par is not None and par.kind == CK.FUNCTION_DECL and ref.storage_class == ci.StorageClass.STATIC:
                return ir.Name(loc, c.spelling, "static_local")
            return ir.Name(loc, c.spelling, "local" if is_local else "var")
        return ir.Name(loc, c.spelling, "unknown")

    def init_list(self, c, ch, loc) -> ir.InitList:
        items = []
        for x in ch:
            if x.kind == CK.UNEXPOSED_EXPR:
                sub = list(x.get_children())
                desig: list = []
                while sub and sub[0].kind == CK.MEMBER_REF:
                    desig.append(sub.pop(0).spelling)
                if desig and sub:
                    items.append(ir.InitItem(tuple(desig), self.expr(sub[-1])))
                    continue
                toks = [t.spelling for _, t in zip(range(1), x.get_tokens())] if len(sub) >= 2 else []
                if toks == ["["] and len(sub) >= 2:
                    idx = clang_api.evaluate(sub[0])
                    items.append(ir.InitItem((idx if isinstance(idx, int) else 0,), self.expr(sub[-1])))
                    continue
            items.append(ir.InitItem((), self.expr(x)))
        end = c.extent.end
        end_loc = ir.Location(end.file.name if end.file else self.path, end.line, max(end.column - 1, 1))
        return ir.InitList(loc, tuple(items), end_loc)


_SYNC_SIZED = re.compile(r"^(__sync_\w+?)_(?:1|2|4|8|16)$")


def _first_token(c) -> Optional[str]:
    for t in c.get_tokens():
        return t.spelling
    return None


def _string_value(c) -> str:
    """A string literal's value. libclang spells a StringLiteral as one C literal (pieces joined,
    escapes normalised); its evaluation fails outside initializers and its tokens are wrong when
    a macro wrote the literal (they run from the macro's definition to its use)."""
    s = c.spelling
    q = s.find('"')
    if q >= 0 and len(s) > q + 1 and s.endswith('"'):
        try:
            return codecs.escape_decode(s[q + 1:-1].encode("ascii"))[0].decode("utf-8", "replace")
        except (UnicodeEncodeError, ValueError):
            pass
    return _string_from_tokens(c)


def _string_from_tokens(c) -> str:
    out = []
    for t in c.get_tokens():
        s = t.spelling
        if s.startswith('"') and s.endswith('"'):
            out.append(bytes(s[1:-1], "utf-8").decode("unicode_escape", "replace"))
    return "".join(out)
