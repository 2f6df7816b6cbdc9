"""Preprocessing for the pycparser front end: pcpp with clang's include rules, every token located as clang would (expansion location)."""
from __future__ import annotations

import copy
import os
from contextlib import contextmanager
import re
import shlex
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

try:
    import pcpp
    from pcpp.preprocessor import Preprocessor, OutputDirective, Action
except ImportError:  # pragma: no cover - reported as a FrontendError by the caller
    pcpp = None
    Preprocessor = object
    OutputDirective = Action = None


class PreprocessError(Exception):
    """A preprocessor error (#error, malformed directive); message names the file and line."""

    def __init__(self, message: str, file: str = "", line: int = 0, col: int = 0):
        super().__init__(f"{file}:{line}: {message}" if file else message)
        self.message = message
        self.file = file
        self.line = line
        self.col = col


@dataclass
class Tok:
    """One preprocessed token. (file, line, col) is where clang locates it: its own position, or for
    a token a macro produced the position of the outermost macro name in the source (expansion
    location). (eline, ecol) is the last character of the token, or of the whole outermost macro
    invocation for a macro-produced token (what clang's extents end on)."""
    value: str
    kind: str            # pcpp token type: CPP_ID, CPP_INTEGER, CPP_STRING, ...
    file: str
    line: int
    col: int
    eline: int
    ecol: int
    macro: bool


# What clang (x86_64 Linux, -std=gnu11) predefines and the kernel's headers may test.
PREDEFINED = [
    "__STDC__ 1", "__STDC_VERSION__ 201112L", "__STDC_HOSTED__ 1", "__STDC_UTF_16__ 1",
    "__STDC_UTF_32__ 1", "__GNUC__ 4", "__GNUC_MINOR__ 2", "__GNUC_PATCHLEVEL__ 1",
    "__GNUC_STDC_INLINE__ 1", "__clang__ 1", "__clang_major__ 18", "__clang_minor__ 1",
    "__clang_patchlevel__ 1", "__x86_64__ 1", "__x86_64 1", "__amd64__ 1", "__amd64 1",
    "__linux__ 1", "__linux 1", "linux 1", "__unix__ 1", "__unix 1", "unix 1", "__gnu_linux__ 1",
    "__ELF__ 1", "__LP64__ 1", "_LP64 1", "__CHAR_BIT__ 8", "__SIZEOF_SHORT__ 2",
    "__SIZEOF_INT__ 4", "__SIZEOF_LONG__ 8", "__SIZEOF_LONG_LONG__ 8", "__SIZEOF_POINTER__ 8",
    "__SIZEOF_FLOAT__ 4", "__SIZEOF_DOUBLE__ 8", "__SIZEOF_LONG_DOUBLE__ 16", "__SIZEOF_SIZE_T__ 8",
    "__SIZEOF_WCHAR_T__ 4", "__SIZEOF_WINT_T__ 4", "__SIZEOF_PTRDIFF_T__ 8", "__SIZEOF_INT128__ 16",
    "__SCHAR_MAX__ 127", "__SHRT_MAX__ 32767", "__INT_MAX__ 2147483647",
    "__LONG_MAX__ 9223372036854775807L", "__LONG_LONG_MAX__ 9223372036854775807LL",
    "__SIZE_MAX__ 18446744073709551615UL", "__WCHAR_MAX__ 2147483647",
    "__ORDER_LITTLE_ENDIAN__ 1234", "__ORDER_BIG_ENDIAN__ 4321", "__ORDER_PDP_ENDIAN__ 3412",
    "__BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__", "__SIZE_TYPE__ long unsigned int",
    "__PTRDIFF_TYPE__ long int", "__INTPTR_TYPE__ long int", "__UINTPTR_TYPE__ long unsigned int",
    "__INTMAX_TYPE__ long int", "__UINTMAX_TYPE__ long unsigned int", "__WCHAR_TYPE__ int",
    "__WINT_TYPE__ unsigned int", "__CHAR16_TYPE__ unsigned short", "__CHAR32_TYPE__ unsigned int",
    "__INT8_TYPE__ signed char", "__INT16_TYPE__ short", "__INT32_TYPE__ int",
    "__INT64_TYPE__ long int", "__UINT8_TYPE__ unsigned char", "__UINT16_TYPE__ unsigned short",
    "__UINT32_TYPE__ unsigned int", "__UINT64_TYPE__ long unsigned int", "__NO_INLINE__ 1",
    "__USER_LABEL_PREFIX__", "__BIGGEST_ALIGNMENT__ 16", "__ATOMIC_RELAXED 0",
    "__ATOMIC_CONSUME 1", "__ATOMIC_ACQUIRE 2", "__ATOMIC_RELEASE 3", "__ATOMIC_ACQ_REL 4",
    "__ATOMIC_SEQ_CST 5", "__SSE__ 1", "__SSE2__ 1", "__MMX__ 1", "__CHAR_UNSIGNED__UNDEF 1",
]

# __has_attribute(x) in #if: the GNU attributes clang knows (enough for kernel headers).
KNOWN_ATTRIBUTES = {
    "alias", "aligned", "alloc_size", "always_inline", "assume_aligned", "cold", "const",
    "copy", "deprecated", "designated_init", "error", "externally_visible", "fallthrough",
    "flatten", "format", "gnu_inline", "hot", "malloc", "noclone", "noinline", "nonnull",
    "noreturn", "nonstring", "no_instrument_function", "no_sanitize_address", "no_sanitize",
    "no_stack_protector", "packed", "pure", "section", "unused", "used", "visibility",
    "warn_unused_result", "warning", "weak", "cleanup", "mode", "overloadable", "__counted_by__",
    "diagnose_as_builtin", "no_profile_instrument_function", "zero_call_used_regs",
}


MAX_INCLUDE_DEPTH = 200        # clang's limit; an include cycle stops there


def _norm_attr(name: str) -> str:
    if name.startswith("__") and name.endswith("__") and len(name) > 4:
        return name[2:-2]
    return name


# ------------------------------------------------------------------ flags

@dataclass
class PPOptions:
    quote_dirs: List[str]
    angle_dirs: List[str]       # -I then -isystem then -idirafter, in order
    defines: List[Tuple[str, Optional[str]]]     # (name, value or None for undef)
    includes: List[str]         # -include files, in order
    nostdinc: bool


def options_from_flags(flags: Sequence[str]) -> PPOptions:
    """Read the clang arguments flags.py computes (any header mode) into preprocessor options."""
    quote: List[str] = []
    inc: List[str] = []
    system: List[str] = []
    after: List[str] = []
    defines: List[Tuple[str, Optional[str]]] = []
    includes: List[str] = []
    nostdinc = False
    i = 0
    flags = list(flags)
    while i < len(flags):
        a = flags[i]
        nxt = flags[i + 1] if i + 1 < len(flags) else None
        took = False
        for opt, dest in (("-iquote", quote), ("-isystem", system), ("-idirafter", after), ("-I", inc)):
            if a == opt and nxt is not None:
                dest.append(nxt)
                took = True
                i += 1
                break
            if a.startswith(opt) and len(a) > len(opt):
                dest.append(a[len(opt):])
                took = True
                break
        if not took:
            if a in ("-D", "-U") and nxt is not None:
                a = a + nxt
                i += 1
            if a in ("-include", "-imacros") and nxt is not None:
                includes.append(nxt)
                i += 1
            elif a.startswith("-D"):
                body = a[2:]
                name, eq, value = body.partition("=")
                defines.append((name, value if eq else "1"))
            elif a.startswith("-U"):
                defines.append((a[2:], None))
            elif a == "-nostdinc":
                nostdinc = True
        i += 1
    angle = inc + system + after
    if not nostdinc:
        angle += [d for d in ("/usr/local/include", "/usr/include/x86_64-linux-gnu", "/usr/include")
                  if os.path.isdir(d)]
    return PPOptions(quote, angle, defines, includes, nostdinc)


# ------------------------------------------------------------------ the preprocessor

class _Pre(Preprocessor):
    """pcpp, with clang's include search, missing headers skipped (and recorded), and each macro
    expansion remembered so every produced token knows the outermost invocation it came from."""

    main_source: Optional[str] = None    # the main file, whose __LINE__ ignores the -include lines
    main_shift = 0

    def __init__(self, main_path: str, opts: PPOptions):
        super().__init__()
        self.line_directive = None
        self.main_path = main_path
        self.opts = opts
        self.names: Dict[str, str] = {}          # absolute path -> name as clang would show it
        self.texts: Dict[str, Tuple[str, List[int]]] = {}   # shown name -> (text, line starts)
        self.included: List[str] = []
        self.missing: List[Tuple[str, int]] = []  # (include name, line in the main file or 0)
        self.errors: List[PreprocessError] = []
        self.rewrite_paths = [(r"^(.*)$", lambda m: self.names.get(m.group(1), m.group(1)))]
        for d in PREDEFINED:
            self.define(d)
        self.undef("__CHAR_UNSIGNED__UNDEF")
        for name, value in opts.defines:
            if value is None:
                self.undef(name)
            else:
                self.define(f"{name} {value}")

    # ------------------------------------------------ positions
    def group_lines(self, input, abssource):
        lines = [x.rstrip() for x in input.splitlines()]
        text = "\n".join(lines)
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        self.texts[abssource] = (text, starts)
        return super().group_lines(input, abssource)

    def position(self, tok) -> Tuple[str, int, int, int, int]:
        """(file, line, col, end line, end col) of a token that no macro produced."""
        info = self.texts.get(tok.source)
        if info is None:
            return tok.source or self.main_path, tok.lineno, 1, tok.lineno, 1
        text, starts = info
        pos = tok.lexpos
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        line = lo + 1
        col = len(text[starts[lo]:pos].encode("utf-8")) + 1
        ecol = col + max(len(str(tok.value).encode("utf-8")) - 1, 0)
        return tok.source, line, col, line, ecol

    def _origin(self, t, last):
        rec_t = getattr(t, "kl_rec", None)
        start = rec_t[0] if rec_t is not None else self.position(t)[:3]
        rec_l = getattr(last, "kl_rec", None)
        if rec_l is not None:
            end = rec_l[1]
        else:
            p = self.position(last)
            end = (p[0], p[3], p[4])
        return (start, end)

    # ------------------------------------------------ hooks
    def on_error(self, file, line, msg):
        if file == self.main_source and line:
            line -= self.main_shift      # the -include lines put before the main file
        self.errors.append(PreprocessError(msg, self.names.get(file, file), line))
        self.return_code += 1

    def on_directive_unknown(self, directive, toks, ifpassthru, precedingtoks):
        if directive.value == "error":
            self.on_error(directive.source, directive.lineno,
                          "#error " + "".join(str(t.value) for t in toks).strip())
        return True      # #pragma, #warning, #ident, #line ...: nothing for the parser

    def on_unknown_macro_function_in_expr(self, ident):
        if ident in ("__has_include", "__has_include_next"):
            return self._has_include
        if ident == "__has_attribute":
            return lambda name: 1 if _norm_attr(str(name)) in KNOWN_ATTRIBUTES else 0
        return lambda *a: 0

    def _has_include(self, arg):
        name = str(arg).strip()
        if name.startswith("<") and name.endswith(">"):
            dirs = self.opts.angle_dirs
        else:
            dirs = [os.path.dirname(self.names.get(self.source, self.source) or "")] + \
                self.opts.quote_dirs + self.opts.angle_dirs
        name = name.strip('<>"')
        return 1 if any(os.path.isfile(os.path.join(d, name)) for d in dirs) else 0

    # ------------------------------------------------ includes, clang's way
    def include(self, tokens, original_line):
        if not tokens:
            return
        if tokens[0].value != "<" and tokens[0].type != self.t_STRING:
            tokens = self.tokenstrip(self.expand_macros(tokens))
        if not tokens:
            return
        if tokens[0].value == "<":
            i = 1
            while i < len(tokens) and tokens[i].value != ">":
                i += 1
            if i >= len(tokens):
                self.on_error(tokens[0].source, tokens[0].lineno, "malformed #include <...>")
                return
            filename = "".join(str(x.value) for x in tokens[1:i])
            dirs = list(self.opts.angle_dirs)
        elif tokens[0].type == self.t_STRING:
            filename = tokens[0].value[1:-1]
            here = os.path.dirname(self.names.get(self.source, self.source) or "") or "."
            dirs = [here] + self.opts.quote_dirs + self.opts.angle_dirs
        else:
            self.on_error(tokens[0].source, tokens[0].lineno, "malformed #include")
            return
        if os.path.isabs(filename):
            dirs = [""]
        if self.include_depth >= MAX_INCLUDE_DEPTH:
            self.on_error(tokens[0].source, tokens[0].lineno, "#include nested too deeply")
            return
        for d in dirs:
            shown = os.path.join(d, filename) if d else filename
            full = os.path.abspath(shown)
            if full in self.include_once:
                return
            if not os.path.isfile(full):
                continue
            try:
                with open(full, encoding="utf-8", errors="replace") as f:
                    data = f.read()
            except OSError:
                continue
            data = _unbom(data)
            self.names.setdefault(full, shown)
            self.included.append(self.names[full])
            self.temp_path.insert(0, os.path.dirname(full))
            try:
                for tok in self.parsegen(data, filename, full):
                    yield tok
            finally:
                del self.temp_path[0]
            return
        line = 0
        if original_line and self.names.get(original_line[0].source) == self.main_path:
            line = self.position(original_line[0])[1]
        self.missing.append((filename, line))

    # ------------------------------------------------ macro expansion (pcpp's, plus origins)
    def expand_macros(self, tokens, expanding_from=[]):  # noqa: B006 - pcpp's signature
        for tok in tokens:
            if not hasattr(tok, "expanded_from"):
                tok.expanded_from = []
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if self.linemacrodepth == 0:
                self.linemacro = t.lineno
            self.linemacrodepth = self.linemacrodepth + 1
            if t.type == self.t_ID:
                if t.value in self.macros and t.value not in t.expanded_from and t.value not in expanding_from:
                    m = self.macros[t.value]
                    if m.arglist is None:
                        rep = [copy.copy(_x) for _x in m.value]
                        ex = self.expand_macros(rep, expanding_from + [t.value])
                        rec = self._origin(t, t)
                        for e in ex:
                            e.source = t.source
                            e.lineno = t.lineno
                            e.kl_rec = rec
                            if not hasattr(e, "expanded_from"):
                                e.expanded_from = []
                            e.expanded_from.append(t.value)
                        tokens[i:i + 1] = ex
                    else:
                        j = i + 1
                        while j < len(tokens) and (tokens[j].type in self.t_WS or tokens[j].type in self.t_COMMENT):
                            j += 1
                        if j == len(tokens) or tokens[j].value != "(":
                            i = j
                        else:
                            tokcount, args, positions = self.collect_args(tokens[j:], True)
                            if tokcount == 0:
                                break
                            if (not m.variadic and (args != [[]] or len(m.arglist) > 1)
                                    and len(args) != len(m.arglist)):
                                self.on_error(t.source, t.lineno, "macro %s requires %d arguments but was passed %d"
                                              % (t.value, len(m.arglist), len(args)))
                                i = j + tokcount
                            elif m.variadic and len(args) < len(m.arglist) - 1:
                                self.on_error(t.source, t.lineno, "macro %s must have at least %d argument(s)"
                                              % (t.value, len(m.arglist) - 1))
                                i = j + tokcount
                            else:
                                if m.variadic:
                                    if len(args) == len(m.arglist) - 1:
                                        args.append([])
                                    else:
                                        args[len(m.arglist) - 1] = tokens[j + positions[len(m.arglist) - 1]:j + tokcount - 1]
                                        del args[len(m.arglist):]
                                else:
                                    while len(args) < len(m.arglist):
                                        args.append([])
                                rec = self._origin(t, tokens[j + tokcount - 1])
                                rep = self.macro_expand_args(m, args)
                                ex = self.expand_macros(rep, expanding_from + [t.value])
                                for e in ex:
                                    e.source = t.source
                                    e.lineno = t.lineno
                                    e.kl_rec = rec
                                    if not hasattr(e, "expanded_from"):
                                        e.expanded_from = []
                                    e.expanded_from.append(t.value)
                                if len(tokens) > j + tokcount and tokens[j + tokcount].type in self.t_ID:
                                    newtok = copy.copy(tokens[j + tokcount])
                                    newtok.type = self.t_SPACE
                                    newtok.value = " "
                                    ex.append(newtok)
                                tokens[i:j + tokcount] = ex
                    self.linemacrodepth = self.linemacrodepth - 1
                    if self.linemacrodepth == 0:
                        self.linemacro = 0
                    continue
                elif self.expand_linemacro and t.value == "__LINE__":
                    t.type = self.t_INTEGER
                    # the main file's lines do not count the -include lines put before it
                    shift = self.main_shift if getattr(t, "source", None) == self.main_source else 0
                    t.value = self.t_INTEGER_TYPE(self.linemacro - shift)
                elif self.expand_countermacro and t.value == "__COUNTER__":
                    t.type = self.t_INTEGER
                    t.value = self.t_INTEGER_TYPE(self.countermacro)
                    self.countermacro += 1
            i += 1
            self.linemacrodepth = self.linemacrodepth - 1
            if self.linemacrodepth == 0:
                self.linemacro = 0
        return tokens


@dataclass
class Preprocessed:
    tokens: List[Tok]
    includes: Tuple[str, ...]            # every file read (clang's names), sorted
    missing: List[Tuple[str, int]]       # headers not found: (name, line in main file or 0)
    errors: List[PreprocessError]


def available() -> bool:
    return pcpp is not None


def preprocess(path: str, text: str, flags: Sequence[str]) -> Preprocessed:
    """Preprocess `text` (the contents of `path`) with the given clang-style flags."""
    opts = options_from_flags(flags)
    pp = _Pre(path, opts)
    pp.names[os.path.abspath(path)] = path
    # -include files are read first, as if #included at the top of the main file
    prefix = "".join(f'#include "{os.path.abspath(f)}"\n' for f in opts.includes)
    text = _unbom(text)
    src = prefix + text if prefix else text
    if prefix:
        pp.names.setdefault("<command line>", "<command line>")
    pp.main_source, pp.main_shift = path, prefix.count("\n")
    pp.parse(src, path)
    out: List[Tok] = []
    with _no_inclusion_timing():
        _collect(pp, path, prefix, out)
    missing = [(n, (ln - prefix.count("\n")) if ln else 0) for n, ln in pp.missing]
    return Preprocessed(_rejoin(out), tuple(sorted(set(pp.included))), missing, pp.errors)


@contextmanager
def _no_inclusion_timing():
    """pcpp times every #include with time.process_time(), a system call that costs about a
    millisecond here (a third of the preprocessing); the timings are never read."""
    mod = pcpp.preprocessor
    saved = mod.clock
    mod.clock = _zero
    try:
        yield
    finally:
        mod.clock = saved


def _zero() -> float:
    return 0.0


def _collect(pp: "_Pre", path: str, prefix: str, out: List[Tok]) -> None:
    ws = set(pp.t_WS) | set(pp.t_COMMENT)
    shift = prefix.count("\n")
    while True:
        tok = pp.token()
        if tok is None:
            break
        if tok.type in ws:
            continue
        rec = getattr(tok, "kl_rec", None)
        if rec is not None:
            (f, l, c), (ef, el, ec) = rec
            macro = True
        else:
            f, l, c, el, ec = pp.position(tok)
            macro = False
        name = pp.names.get(f, f)
        if shift and name == path:
            l -= shift
            el -= shift
        out.append(Tok(str(tok.value), tok.type, name, l, c, el, ec, macro))


def _unbom(text: str) -> str:
    """A UTF-8 byte order mark is not C; clang skips it but counts its 3 bytes in line 1's columns."""
    return "   " + text[1:] if text.startswith("\ufeff") else text


_INT_SUFFIX = re.compile(r"^[uUlL]+$")


def _rejoin(toks: List[Tok]) -> List[Tok]:
    """Glue back what pcpp's lexer splits but C reads as one token: `...`, `^=`, integer suffixes it
    does not know (`ULL`, `LL`), hex-float and `.5` numbers, prefixed string literals (L"", u8"")."""
    out: List[Tok] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.value == "." and i + 2 < n and toks[i + 1].value == "." and toks[i + 2].value == ".":
            out.append(_glue(t, toks[i + 2], "..."))
            i += 3
            continue
        if t.value == "^" and i + 1 < n and toks[i + 1].value == "=":
            out.append(_glue(t, toks[i + 1], "^="))      # pcpp's `^=` pattern is anchored by mistake
            i += 2
            continue
        starts_number = t.kind in ("CPP_INTEGER", "CPP_FLOAT") or (
            t.value == "." and i + 1 < n and toks[i + 1].kind == "CPP_INTEGER"
            and not (out and (out[-1].kind == "CPP_ID" or out[-1].value in (")", "]"))))
        if starts_number:
            # a pp-number pcpp cut in pieces (1.5, .5, 1e-3, 10ULL, 0x1p3): C never puts a number
            # right before an identifier, a '.' or another number, so the pieces belong together
            value, last, j = t.value, t, i + 1
            while j < n:
                nx = toks[j]
                hexa = value.lower().startswith("0x")
                if nx.value == "." and j + 1 < n and toks[j + 1].value == ".":
                    break                                   # `1 ... 3`: a case range
                if nx.kind in ("CPP_ID", "CPP_INTEGER", "CPP_FLOAT") or nx.value == ".":
                    value += nx.value
                elif nx.value in "+-" and j + 1 < n and toks[j + 1].kind in ("CPP_INTEGER",) and \
                        value[-1] in ("pP" if hexa else "eE"):
                    value += nx.value
                else:
                    break
                last = nx
                j += 1
            if j > i + 1:
                kind = "CPP_INTEGER" if re.match(r"^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$", value) else "CPP_FLOAT"
                out.append(_glue(t, last, value, kind))
                i = j
                continue
        if t.kind == "CPP_ID" and t.value in ("L", "u", "U", "u8") and i + 1 < n \
                and toks[i + 1].kind in ("CPP_STRING", "CPP_CHAR") and not toks[i + 1].value[0].isalpha():
            out.append(_glue(t, toks[i + 1], t.value + toks[i + 1].value, toks[i + 1].kind))
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def _glue(a: Tok, b: Tok, value: str, kind: Optional[str] = None) -> Tok:
    return Tok(value, kind or a.kind, a.file, a.line, a.col, b.eline, b.ecol, a.macro)


def split_flags(text: str) -> List[str]:
    return shlex.split(text)
