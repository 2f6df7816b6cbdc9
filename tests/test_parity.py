"""Parity of the two front ends: libclang and pycparser lower the same C into the same IR.

Compared exactly, node for node: ir.dump() (kinds, fields, canonical types, line *and column* of every
node, macro-produced ones included: both report a macro's nodes at the macro's use, clang's expansion
location), plus what dump() leaves out: the file of every node's location, InitList.end, the includes,
TranslationUnit.records and the notes. The one narrow normalisation: a 'diagnostic' note (written only
when a header is missing) carries the parser's own error message, so for that kind only its text is
not compared (its kind is). Constructs the two cannot express the same way are listed in DIFFERENCES
with the reason, as strict xfails.

Inputs: every corpus file (corpus/**/*.c, whatever exists), the kernel's own livepatch modules when
the kernel source is available, and the snippets below, which together cover every IR node kind.
Also: the same findings on the whole corpus, and the fallback to pycparser when libclang cannot load.
"""
from __future__ import annotations

import dataclasses
import glob
import os
import textwrap

import pytest

from klplint import ir
from klplint import frontend as fe
from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config
from klplint.frontend import FrontendError, parse
from klplint.frontend.strict import UnsupportedConstruct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")

needs_libclang = pytest.mark.skipif(bool(fe.libclang_problem()), reason="libclang cannot be loaded here")


def corpus_files():
    return sorted(glob.glob(os.path.join(CORPUS, "**", "*.c"), recursive=True))


def _rel(path):
    return os.path.relpath(path, CORPUS)


# ------------------------------------------------------------------ what is compared

def _walk(node):
    """Every IR node (dataclass instance) under node, in field order."""
    yield node
    if dataclasses.is_dataclass(node) and not isinstance(node, (ir.Type, ir.Location)):
        for f in dataclasses.fields(node):
            v = getattr(node, f.name)
            if isinstance(v, tuple):
                for x in v:
                    if dataclasses.is_dataclass(x):
                        yield from _walk(x)
            elif dataclasses.is_dataclass(v):
                yield from _walk(v)


def facts(unit: ir.TranslationUnit) -> dict:
    nodes = [n for d in unit.functions + unit.variables for n in _walk(d)]
    return {
        "dump": ir.dump(unit),
        "files": [(type(n).__name__, n.loc.file) for n in nodes if isinstance(getattr(n, "loc", None), ir.Location)],
        "ends": [(n.loc, n.end) for n in nodes if isinstance(n, ir.InitList)],
        "includes": unit.includes,
        "records": unit.records,
        # 'diagnostic' notes quote the parser's own first error: kind only (see the module docstring)
        "notes": [(n.kind, n.loc, None if n.kind == "diagnostic" else n.message) for n in unit.notes],
    }


def lower(path: str, frontend: str, strict: bool):
    """The unit's facts, or the kind of error both front ends must agree on."""
    try:
        return facts(parse(path, Config(frontend=frontend, strict=strict)))
    except UnsupportedConstruct:
        return "UnsupportedConstruct"
    except FrontendError as e:
        return f"FrontendError at line {e.line}"


def assert_same(path: str, strict: bool = True, monkeypatch=None):
    if not strict and monkeypatch is not None:
        monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    clang = lower(path, "libclang", strict)
    pyc = lower(path, "pycparser", strict)
    if isinstance(clang, dict) and isinstance(pyc, dict):
        for key in clang:
            assert pyc[key] == clang[key], f"{key} differs for {path}"
    else:
        assert pyc == clang


# ------------------------------------------------------------------ the corpus

@needs_libclang
@pytest.mark.parametrize("path", corpus_files(), ids=_rel)
def test_corpus_file_lowers_identically(path):
    assert_same(path)


def _findings(path, frontend):
    r = analyze_file(path, Config(frontend=frontend, strict=True))
    return r.findings, r.errors, r.notes, r.includes


@needs_libclang
@pytest.mark.parametrize("path", corpus_files(), ids=_rel)
def test_corpus_file_gives_the_same_findings(path):
    """What `klplint check --frontend pycparser` reports equals the default front end's report."""
    assert _findings(path, "pycparser") == _findings(path, "libclang")


@needs_libclang
@pytest.mark.kernel
def test_kernel_livepatch_modules_lower_identically(kernel_source):
    files = sorted(str(p) for p in (kernel_source / "samples" / "livepatch").glob("*.c"))
    files += sorted(str(p) for p in (kernel_source / "lib" / "livepatch").glob("test_klp_*.c"))
    assert files
    for path in files:
        assert_same(path)


# ------------------------------------------------------------------ snippets: every IR node kind

SNIPPETS = {
    # Every expression node, every operator, literals of every spelling, macros in the middle.
    "expressions": r"""
        #include <linux/module.h>
        #include <linux/slab.h>
        #define TWICE(x) ((x) * 2)
        #define PICK(a, b) ((a) ? (a) : (b))
        struct pt { int x, y; };
        struct box { struct pt p; struct pt *pp; int v[4]; unsigned char flags; };
        enum shade { DARK = -2, MID, LIGHT = 1 << 3, MAXED = LIGHT | 7 };
        static int counter;
        int expressions(struct box *b, int k, unsigned long mask)
        {
        	struct box local;
        	int *ip = &k;
        	long l = (long)k;
        	unsigned u = 3u + 0x1fUL + 017 + 0b101 + 10ULL;
        	char c = '\'' + '\\' + '\x41' + '\0' + 'ab' + L'w' + '\377';
        	const char *s = "tab\there" "\x21" "\101\n" "caf\xc3\xa9";
        	k = b->p.x + local.p.y + b->pp->x + b->v[2] + (*b).flags + 2[b->v];
        	k = -k + +k + ~k + !k + *ip + TWICE(k) + PICK(k, 3);
        	k++; k--; ++k; --k;
        	k = (k, l, u);
        	k = k << 1 >> 2 & 3 | 4 ^ 5;
        	k = k < 1 || k > 2 && k <= 3 || k >= 4 || k == 5 || k != 6;
        	k = k * 2 / 3 % 4 + 5 - 6;
        	k += 1; k -= 1; k *= 2; k /= 2; k %= 3; k <<= 1; k >>= 1; k &= 1; k |= 2; k ^= 3;
        	k = k ? k : -k;
        	k = (int)sizeof(struct box) + (int)sizeof local + (int)sizeof(b->v) + (int)sizeof(int[7]);
        	k += _Alignof(struct box) + (int)sizeof("abc") + (int)sizeof(s);
        	k = DARK + MID + LIGHT + MAXED + counter;
        	ip = (int *)kmalloc(sizeof(*ip) * 4, GFP_KERNEL);
        	kfree(ip);
        	local = *b;
        	local.p = (struct pt){ .x = 1, 2 };
        	mask |= (1UL << 3) | 0xffffffffffULL;
        	(void)(k = 1);
        	(k) = 2;
        	return ((k)) + (int)mask + c + s[0];
        }
        """,
    # Every statement node, for loops of every shape, loops written by macros, labels.
    "statements": r"""
        #include <linux/module.h>
        #include <linux/list.h>
        #include <linux/mutex.h>
        #include <linux/spinlock.h>
        static DEFINE_MUTEX(lock);
        static LIST_HEAD(items);
        struct item { struct list_head node; int v; };
        #define forever for (;;)
        #define upto(i, n) for ((i) = 0; (i) < (n); (i)++)
        static int statements(int n)
        {
        	struct item *it;
        	int i = 0, total = 0;
        	unsigned long flags;
        	{ int shadow = n; total += shadow; }
        	if (n > 3) total = 1; else if (n < 0) { total = -1; } else total = 0;
        	switch (n) {
        	case 0:
        	case 1:
        		total++;
        		/* fall through */
        	case 2: {
        		total += 2;
        		break;
        	}
        	default:
        		;
        	}
        	switch (n) default: total--;
        	while (i < n) { i++; if (i == 2) continue; if (i > 10) break; }
        	do i--; while (i > 0);
        	for (;;) break;
        	for (i = 0; i < 3; i++) total += i;
        	for (int j = 0, m = 1; j < m; j++) total += j;
        	for (; i < 5;) i++;
        	for (i = 0;; ) break;
        	forever { break; }
        	upto(i, 3) total++;
        	mutex_lock(&lock);
        	list_for_each_entry(it, &items, node)
        		total += it->v;
        	mutex_unlock(&lock);
        	spin_lock_irqsave(NULL, flags);
        	if (total)
        		goto out;
        	total = 5;
        out:
        	return total;
        }
        """,
    # Declarations: storage, sections, aliases, prototypes, K&R, typedefs, block-scope declarations,
    # designated/positional/nested/array-index initializers, arrays sized by their initializer.
    "declarations": r"""
        #include <linux/module.h>
        #include <linux/init.h>
        #include <linux/livepatch.h>
        #include <linux/moduleparam.h>
        #include <linux/export.h>
        #include "local_helper.h"
        typedef int (*handler_t)(struct klp_object *);
        typedef struct { int a; char b[3]; } anon_t;
        typedef enum { OFF, ON } state_t;
        struct node { struct node *next; anon_t payload; state_t st; handler_t h; };
        static struct node head = { .next = &head, .payload = { 1, "ab" }, .st = ON };
        static struct node many[] = { { .st = OFF }, [3] = { .st = ON }, };
        static int table[][2] = { { 1, 2 }, { 3, 4 }, 5, 6 };
        static struct { int x, y; } pairs[] = { 1, 2, 3, 4, 5 };
        static const char *const names[] = { "zero", [2] = "two", [ON] = "on" };
        static char buf[] = "hi\tthere\n";
        static int deep[2][3] = { [1][2] = 7, [0] = { 1 } };
        static struct node nested = { .payload.a = 3, .payload.b[1] = 'x' };
        static int __initdata early_value = 3;
        static int __init setup(void) { return early_value; }
        static void __exit teardown(void) { }
        extern int shared_value;
        int shared_value;
        static int a1, *a2, a3[2] = { 1 };
        int proto(int, const char *const, void (*)(void), int [3], ...);
        static int noproto();
        static int kr_style(a, b) int a; char *b; { return a + *b; }
        static unsigned long helper_use(void) { return HELPER_VALUE + helper_fn(1); }
        static int param_value = 1;
        module_param(param_value, int, 0644);
        MODULE_PARM_DESC(param_value, "a value");
        int exported(void) { return 0; }
        EXPORT_SYMBOL_GPL(exported);
        static int uses_static_local(void)
        {
        	static int calls;
        	extern int shared_value;
        	register int r = 1;
        	typedef long word_t;
        	word_t w = 2;
        	struct local_s { int q; } ls = { 4 };
        	enum { L1 = 7 } le = L1;
        	int fn_decl(void);
        	int arr[] = { [4] = 1 };
        	calls++;
        	return calls + shared_value + r + (int)w + ls.q + le + fn_decl() + arr[0];
        }
        module_init(setup);
        module_exit(teardown);
        MODULE_LICENSE("GPL");
        MODULE_AUTHOR("someone <a@b.c>");
        MODULE_DESCRIPTION("decls");
        MODULE_INFO(livepatch, "Y");
        """,
    # GNU C: attributes (section, alias, packed, aligned), typeof, __auto_type, statement
    # expressions, asm statements and asm labels, __extension__, __inline/__restrict,
    # _Static_assert, __builtin_*, case ranges, __func__, _Generic, anonymous members, bitfields.
    "gnu": r"""
        #include <linux/module.h>
        #include <linux/stdarg.h>
        #include <linux/kernel.h>
        struct __attribute__((packed)) wire { char tag; int len; short s; };
        struct aligned_s { char c; int x __attribute__((aligned(16))); } __attribute__((aligned(32)));
        struct bits { unsigned a:3, b:5, :0, c:7; int d; char e:2; };
        struct flex { int n; int data[]; };
        struct anon { int a; union { int u1; long u2; }; struct { char c1; } named; };
        typedef unsigned int u32_t;
        static int sect_var __attribute__((section(".data.custom"))) = 1;
        static int __attribute__((__section__(".text.other"))) sectioned_fn(void) { return 0; }
        int aliased(void) __attribute__((alias("sectioned_fn")));
        int renamed asm("renamed_symbol");
        static __inline int inlined(int *__restrict p) { return *p; }
        static typeof(sect_var) tv1;
        static __typeof__(int *) tv2[2];
        static int sum(int n, ...)
        {
        	va_list ap;
        	int r = 0;
        	va_start(ap, n);
        	r += va_arg(ap, int);
        	va_end(ap);
        	return r;
        }
        static int gnu(struct anon *an, int x)
        {
        	int y = __extension__ ({ int t = x; t * 2; });
        	typeof(y) z = y;
        	__typeof__(an) p2 = an;
        	__auto_type w = x + 1L;
        	_Static_assert(sizeof(int) == 4, "int");
        	asm volatile("nop" ::: "memory");
        	__asm__ __volatile__("" : : : "memory");
        	asm("");
        	y += __builtin_expect(x, 0) + __builtin_offsetof(struct anon, named) + offsetof(struct anon, u2);
        	y += __builtin_types_compatible_p(int, typeof(x)) + __builtin_choose_expr(1, 4, 5);
        	y += __builtin_types_compatible_p(int, long);
        	y += sizeof(struct wire) + sizeof(struct aligned_s) + sizeof(struct bits) + sizeof(struct flex);
        	y += an->u1 + an->named.c1 + (int)sizeof(tv2) + inlined(&y);
        	y += _Generic(x, int: 1, long: 2, default: 3);
        	switch (x) {
        	case 1 ... 4:
        		y++;
        		fallthrough;
        	default:
        		break;
        	}
        	if (__builtin_constant_p(x))
        		y = 0;
        	pr_info("%s %d\n", __func__, y);
        	return y + z + (int)(long)p2 + (int)w;
        }
        """,
    # What real kernel code puts in hooks (issue 16): ?: with a call, __builtin_choose_expr and
    # _Generic that are not constants, atomic and __sync builtins, scope-based cleanup.
    "kernel_constructs": r"""
        #include <linux/module.h>
        #include <linux/slab.h>
        #include <linux/mutex.h>
        #include <linux/cleanup.h>
        #include <linux/jump_label.h>
        static DEFINE_MUTEX(lock);
        static DEFINE_STATIC_KEY_FALSE(key);
        static int cnt;
        struct s { int a; };
        static int next_id(void);
        #define as_s(p) _Generic(p, const struct s *: (const struct s *)(p), default: (struct s *)(p))
        static void *kernel_constructs(int v, struct s *sp)
        {
        	void *buf __free(kfree) = kzalloc(8, GFP_KERNEL);
        	const struct s *cp = as_s((const struct s *)sp);
        	guard(mutex)(&lock);
        	v = next_id() ?: v ?: -1;
        	v += __builtin_choose_expr(__builtin_constant_p(v), 1, v + 2);
        	v += __builtin_choose_expr(sizeof(long) == 8, v, 0);
        	v += as_s(sp)->a + cp->a;
        	v += __atomic_load_n(&cnt, __ATOMIC_RELAXED);
        	__atomic_store_n(&cnt, v, __ATOMIC_RELEASE);
        	v += __sync_fetch_and_add(&cnt, 1);
        	if (static_branch_unlikely(&key))
        		v++;
        	scoped_guard(mutex, &lock)
        		cnt = v;
        	if (!buf)
        		return NULL;
        	return_ptr(buf);
        }
        """,
    # Constructs neither lowering handles: Unsupported / UnsupportedStmt nodes and their notes
    # (lenient mode); in strict mode both front ends raise.
    "unsupported": r"""
        typedef unsigned int u32_t;
        static int unsupported(int x, void *p, __builtin_va_list ap)
        {
        	int y = x ?: 2;
        	y += __builtin_va_arg(ap, u32_t);
        	y += __builtin_types_compatible_p(u32_t, int);
        	void *lbl = &&out;
        	double d = 1.5;
        	switch (x) {
        	case 1:
        		y++;
        		__attribute__((fallthrough));
        	default:
        		break;
        	}
        	goto *lbl;
        out:
        	return y + (int)d;
        }
        """,
    # Corners: initializers written by macros, function-pointer arrays and returns, GNU old
    # designators, __FILE__/__LINE__/__COUNTER__, VLAs, compound-literal arrays, a local that
    # shadows a typedef, attributes between declarators, line continuations, __alignof__ of an
    # expression, local labels, a static assertion among struct members.
    "edge_cases": r"""
        #include <linux/module.h>
        #include <linux/livepatch.h>
        #define KLP_FUNC(old, new) { .old_name = #old, .new_func = new }
        #define ENTRY(n) [n] = #n
        enum ids { ID_A, ID_B, ID_C, };
        enum fwd_e;
        typedef int T;
        struct st { int a; _Static_assert(1, "in struct"); int b; };
        static int repl(void) { return 0; }
        static struct klp_func funcs[] = {
        	KLP_FUNC(cmdline_proc_show, repl),
        	{ }
        };
        static const char *idnames[] = { ENTRY(ID_A), ENTRY(ID_C) };
        static int (*handlers[3])(void) = { repl, 0, repl };
        static int (*pick(int k))(void) { return k ? repl : 0; }
        static struct st old_style = { a: 1, b: 2 };
        static const char where[] = __FILE__;
        static int line = __LINE__;
        static int cnt = __COUNTER__ + __COUNTER__;
        static const char nul[] = "a\0b";
        static int f(int n , char * , int a [ ] )
        {
        	__label__ again;
        	int T = 3;
        	int vla[n];
        	int *lit = (int[]){ 1, 2, 3 };
        	void *v = n ? (void *)0 : lit;
        	static int __attribute__((section(".data.local"))) local_sec;
        	unsigned long big = 18446744073709551615UL;
        	long neg = -9223372036854775807L - 1;
        	int x = 1, __attribute__((unused)) y = 2, z __attribute__((unused)) = 3;
        	int total = sizeof vla + sizeof(T) + (int)sizeof (x) + T + x + y + z + local_sec;
        	total += \
        		line + __alignof__(x) + __alignof__(*lit);
        	for (int T = 0; T < 2; T++) total += T;
        again:
        	if (total < 0) goto again;
        	return total + lit[1] + (v != 0) + (int)big + (int)neg + cnt + where[0] + nul[2];
        }
        static void g(void) __attribute__((unused));
        static void g(void) { }
        """,
    # A header the bundle lacks: an empty stub, a note, the analysis goes on.
    "missing_header": r"""
        #include <linux/module.h>
        #include <linux/not_in_the_bundle.h>
        static int x = 3;
        static int f(void) { return x; }
        """,
    # Declarations of an included .c file count as the file's own.
    "included_c_file": r"""
        #include <linux/module.h>
        #include "part.c"
        static int g(void) { return from_part(); }
        """,
    # Records reached from globals through pointers, arrays and embedded structs (depth-limited).
    "records": r"""
        struct leaf { int v; };
        struct mid { struct leaf *l; struct leaf arr[2]; };
        struct top { struct mid m; struct top *self; union { int a; } u; };
        struct deeper { struct top *t; };
        struct unused_s { int nope; };
        struct fwd;
        static struct deeper d;
        static struct fwd *f;
        static const struct top tops[2];
        """,
    # A syntax error: both front ends refuse the file, at the same line.
    "syntax_error": r"""
        static int f(void)
        {
        	return 1 +;
        }
        """,
    # An undeclared identifier is an error; an undeclared function is an implicit declaration.
    "undeclared": r"""
        static int f(void) { return undeclared_function(1); }
        static int g(void) { return nowhere_declared; }
        """,
    # #error stops both.
    "preprocessor_error": r"""
        #define X 1
        #if X
        #error stop here
        #endif
        static int f;
        """,
}

FILES = {
    "local_helper.h": "#define HELPER_VALUE 42UL\nstatic inline int helper_fn(int x) { return x + 1; }\n",
    "part.c": "static int from_part(void) { return 7; }\nstatic int part_var = 2;\n",
}

# Snippets that also run in lenient mode (Unsupported nodes and notes compared).
LENIENT = {"unsupported", "missing_header"}

# Where the two front ends cannot agree, and why (strict xfails: a fix makes them fail loudly).
DIFFERENCES = {
    "missing_header_with_types": (
        "a type only a missing header would define: both front ends treat an unknown type name as "
        "int and go on, but clang also turns the expressions that use such a type (value.field, "
        "p->x on an incomplete struct) into error-recovery nodes (an Unsupported node, a Member "
        "without a field, or no node), while the pycparser front end lowers them as written."),
}

DIFFERENT_SNIPPETS = {
    "missing_header_with_types": r"""
        #include <linux/module.h>
        #include <linux/not_in_the_bundle.h>
        static struct unknown_thing *p;
        static unknown_t value;
        static int f(void) { return value.field + p->x; }
        """,
}


def _write(tmp_path, name, code):
    for fname, text in FILES.items():
        (tmp_path / fname).write_text(text)
    path = tmp_path / f"{name}.c"
    path.write_text(textwrap.dedent(code).lstrip("\n"))
    return str(path)


@needs_libclang
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_lowers_identically(name, tmp_path, monkeypatch):
    path = _write(tmp_path, name, SNIPPETS[name])
    assert_same(path, strict=True)
    if name in LENIENT:
        assert_same(path, strict=False, monkeypatch=monkeypatch)


# The same module as bytes: CRLF line ends, a UTF-8 byte order mark (clang counts its 3 bytes in line
# 1's columns), no newline at the end, non-ASCII in a comment before a token, a #line directive
# (locations stay physical), pragmas.
RAW_MODULE = ("#include <linux/module.h>\n#define SUM(a, b) \\\n\t((a) + \\\n\t (b))\n"
              "static int x = SUM(1, 2); /* caf\u00e9 */ static int after_comment;\n"
              "#pragma GCC diagnostic push\nstatic int f(void)\n{\n#pragma once\n\tint y = x \\\n\t\t+ 1;\n"
              "\treturn y + SUM(x,\n\t\ty);\n}\n#line 100 \"other.c\"\nstatic int after_line;\n")
RAW = {
    "plain": RAW_MODULE.encode(),
    "crlf": RAW_MODULE.replace("\n", "\r\n").encode(),
    "bom": b"\xef\xbb\xbf" + RAW_MODULE.encode(),
    "no_final_newline": (RAW_MODULE + "static int last = 1;").encode(),
    "empty": b"",
}


@needs_libclang
@pytest.mark.parametrize("name", sorted(RAW))
def test_raw_file_lowers_identically(name, tmp_path):
    path = tmp_path / f"{name}.c"
    path.write_bytes(RAW[name])
    assert_same(str(path))


@needs_libclang
@pytest.mark.parametrize("name", sorted(DIFFERENT_SNIPPETS))
def test_listed_differences(name, tmp_path, monkeypatch, request):
    request.applymarker(pytest.mark.xfail(reason=DIFFERENCES[name], strict=True))
    path = _write(tmp_path, name, DIFFERENT_SNIPPETS[name])
    assert_same(path, strict=False, monkeypatch=monkeypatch)


@needs_libclang
def test_snippets_cover_every_ir_node_kind(tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    seen = set()
    for name, code in SNIPPETS.items():
        path = _write(tmp_path, name, code)
        try:
            unit = parse(path, Config(frontend="pycparser"))
        except FrontendError:
            continue
        seen.add("TranslationUnit")
        seen |= {type(n).__name__ for d in unit.functions + unit.variables for n in _walk(d)}
        seen |= {"Note"} if unit.notes else set()
    kinds = {name for name, obj in vars(ir).items()
             if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == ir.__name__
             and name not in ("Type", "Location", "Expr", "Stmt")}
    assert kinds - seen == set()


# ------------------------------------------------------------------ fallback when libclang is missing

def _fresh_fallback_state(monkeypatch):
    monkeypatch.delenv(fe._FALLBACK_ENV, raising=False)
    monkeypatch.setattr(fe, "_libclang_state", None)


def test_libclang_that_cannot_load_falls_back_to_pycparser_once(tmp_path, monkeypatch, capsys):
    from klplint.frontend.libclang import lower as from_clang

    def broken():
        raise OSError("libclang.so: cannot open shared object file")

    _fresh_fallback_state(monkeypatch)
    monkeypatch.setattr(from_clang, "load_library", broken)
    path = _write(tmp_path, "fallback", "#include <linux/module.h>\nstatic int x = 1;\n"
                                        "static int f(void) { return x; }\n")
    first = parse(path, Config(strict=True))
    second = parse(path, Config(strict=True))
    err = capsys.readouterr().err
    assert err.count("libclang cannot be loaded") == 1, err
    assert "libclang.so: cannot open shared object file" in err and "pycparser" in err
    want = ir.dump(parse(path, Config(frontend="pycparser", strict=True)))
    assert ir.dump(first) == ir.dump(second) == want


def test_missing_clang_module_falls_back_too(tmp_path, monkeypatch, capsys):
    import builtins
    import sys

    real_import = builtins.__import__

    def no_clang(name, *args, **kw):
        if name == "clang.cindex" or name.startswith("clang"):
            raise ImportError("No module named 'clang'")
        return real_import(name, *args, **kw)

    _fresh_fallback_state(monkeypatch)
    monkeypatch.delitem(sys.modules, "klplint.frontend.libclang.lower", raising=False)
    import klplint.frontend.libclang as libclang_pkg
    monkeypatch.delattr(libclang_pkg, "lower", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_clang)
    path = _write(tmp_path, "noclang", "static int x;\n")
    unit = parse(path, Config(strict=True))
    assert [v.name for v in unit.variables] == ["x"]
    assert "No module named 'clang'" in capsys.readouterr().err


def test_analysis_with_fallback_gives_pycparser_findings(monkeypatch, capsys):
    from klplint.frontend.libclang import lower as from_clang

    path = corpus_files()[0]
    want = _findings(path, "pycparser")
    _fresh_fallback_state(monkeypatch)
    monkeypatch.setattr(from_clang, "load_library", lambda: (_ for _ in ()).throw(OSError("gone")))
    assert _findings(path, "libclang") == want
    assert "libclang cannot be loaded (OSError: gone)" in capsys.readouterr().err
