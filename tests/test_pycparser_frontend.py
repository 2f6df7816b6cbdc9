"""The pycparser front end on its own (no libclang needed): lowering, locations, GNU C, strictness,
missing headers and preprocessors, errors, and the kernel-tree mode."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from klplint import ir
from klplint.config.settings import Config
from klplint.frontend import FrontendError, parse
from klplint.frontend.strict import UnsupportedConstruct
from klplint.ir.util import walk

from helpers import PRELUDE, prelude_lines
from test_frontend_clang import CODE

PYC = Config(frontend="pycparser", strict=True)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEBIAN_HEADERS = "/usr/src/linux-headers-6.1.0-56-amd64"


def lower(code, tmp_path, name="snippet.c", config=PYC, prelude=True):
    path = tmp_path / name
    path.write_text((PRELUDE if prelude else "") + code)
    return parse(str(path), config)


def fn(unit, name):
    return next(f for f in unit.functions if f.name == name)


def test_statements_and_expressions_are_lowered(tmp_path):
    unit = lower(CODE, tmp_path)
    f = fn(unit, "hook")
    kinds = {type(n).__name__ for n in walk(f.body)}
    for k in ("If", "Switch", "Case", "Default", "For", "While", "DoWhile", "Return", "Goto", "Label", "Break",
              "Continue", "DeclStmt", "Call", "Assign", "Member", "Index", "Unary", "Binary", "Cond", "Cast",
              "SizeOf", "StrLit", "IntLit", "InitList", "StmtExpr"):
        assert k in kinds, k
    fors = [n for n in walk(f.body) if isinstance(n, ir.For)]
    assert [(x.init is not None, x.cond is not None, x.step is not None) for x in fors] == \
        [(True, True, True), (False, False, False), (True, False, True)]
    names = {n.name: n for n in walk(f.body) if isinstance(n, ir.Name)}
    assert names["obj"].kind == "param" and names["head"].kind == "var" and names["n"].kind == "local"
    assert names["MODULE_STATE_COMING"].kind == "enum" and names["MODULE_STATE_COMING"].value == 1
    assert names["kzalloc"].kind == "func"
    sizes = [n.value for n in walk(f.body) if isinstance(n, ir.SizeOf)]
    assert sizes == [16]                                   # sizeof(*t): struct thing on x86_64
    enomem = [n for n in walk(f.body) if isinstance(n, ir.Return)][-1].value
    assert isinstance(enomem, ir.Unary) and enomem.op == "-" and enomem.operand.value == 12
    assert f.loc.line == prelude_lines() + 5 and f.loc.col == 12


def test_types_are_canonical(tmp_path):
    unit = lower("static int hook(struct klp_object *obj) { return 0; }\n"
                 "static void (*cb)(struct klp_object *) ;\nstatic const char *names[3];\n"
                 "typedef struct { int a; } anon_t;\nstatic anon_t av;\nstatic u64 big;\nstatic bool flag;\n"
                 "static int sized[] = { 1, [7] = 2 };\nstatic char text[] = \"abc\";\n", tmp_path)
    assert fn(unit, "hook").type.spelling() == "int (struct klp_object *)"
    v = {x.name: x for x in unit.variables}
    assert v["cb"].type.spelling() == "void (*)(struct klp_object *)"
    assert v["names"].type.kind == "array" and v["names"].type.size == 3 and v["names"].type.target.target.const
    assert v["av"].type == ir.Type("struct", "anon_t")       # clang names it after the typedef
    assert v["big"].type == ir.Type("int", "unsigned long long")
    assert v["flag"].type.kind == "bool"
    assert v["sized"].type.size == 8 and v["text"].type.size == 4


def test_macro_nodes_are_located_at_the_macro_use(tmp_path):
    code = ("static int x;\nmodule_param(x, int, 0644);\n"
            "static void f(void)\n{\n\tWARN_ON(x > 1);\n\tpr_info(\"hi %d\\n\", x);\n}\n")
    unit = lower(code, tmp_path)
    base = prelude_lines()
    body = fn(unit, "f").body
    warn, info = body.body
    assert {(n.loc.line, n.loc.col) for n in walk(warn) if hasattr(n, "loc")} == {(base + 5, 2)}
    fmt = info.expr.args[0]
    assert isinstance(fmt, ir.StrLit) and fmt.value == "\x016hi %d\n" and (fmt.loc.line, fmt.loc.col) == (base + 6, 2)
    arg = info.expr.args[1]
    assert (arg.loc.line, arg.loc.col) == (base + 6, 2)     # a macro argument: the macro's use too
    param = next(v for v in unit.variables if v.name == "__param_x")
    assert param.section == "__param" and (param.loc.line, param.loc.col) == (base + 2, 1)
    # the initializer's closing brace is inside the macro: its end is the invocation's last character
    assert (param.init.end.line, param.init.end.col) == (base + 2, len("module_param(x, int, 0644)"))


def test_columns_are_bytes_as_clang_counts_them(tmp_path):
    unit = lower("/* caf\u00e9 */ static int x;\n\tstatic int y;\n", tmp_path, prelude=False)
    x, y = unit.variables
    assert (x.loc.line, x.loc.col) == (1, len("/* caf\u00e9 */ static int ".encode()) + 1)
    assert (y.loc.line, y.loc.col) == (2, 13)               # a tab is one column


def test_gnu_c(tmp_path):
    code = r"""
struct __attribute__((packed)) wire { char tag; int len; };
static int sect __attribute__((section(".data.mine"))) = 1;
static typeof(sect) copy_of;
static int lp_init(void)
{
	int y = ({ int t = 2; t * 3; });
	__typeof__(y) z = __extension__ y;
	asm volatile("nop" ::: "memory");
	_Static_assert(sizeof(struct wire) == 5, "packed");
	return y + z + (int)sizeof(struct wire) + __builtin_expect(z, 1) + __func__[0];
}
module_init(lp_init);
"""
    unit = lower(code, tmp_path)
    v = {x.name: x for x in unit.variables}
    assert v["sect"].section == ".data.mine" and v["copy_of"].type == ir.Type("int", "int")
    assert fn(unit, "init_module").alias == "lp_init"
    body = fn(unit, "lp_init").body
    kinds = [type(n).__name__ for n in walk(body)]
    assert "StmtExpr" in kinds
    asm = [n for n in walk(body) if isinstance(n, ir.Call) and n.callee_name == "__asm__"]
    assert len(asm) == 1 and asm[0].args == ()
    assert [n.value for n in walk(body) if isinstance(n, ir.SizeOf)] == [5]
    assert any(isinstance(n, ir.StrLit) and n.value == "lp_init" for n in walk(body))
    assert sum(1 for n in walk(body) if isinstance(n, ir.DeclStmt) and not n.vars) == 1   # _Static_assert


def test_numbers_and_operators_pcpp_splits(tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    code = ("static unsigned long long a = 10ULL;\nstatic long b = 0x10LL;\nstatic int c;\n"
            "static int f(int n, ...) { c ^= n; return (int)(1.5 > .5) + L\"w\"[0]; }\n")
    unit = lower(code, tmp_path, prelude=False, config=Config(frontend="pycparser"))
    v = {x.name: x for x in unit.variables}
    assert v["a"].init.value == 10 and v["b"].init.value == 16
    f = fn(unit, "f")
    assert f.type.variadic
    assert any(isinstance(n, ir.Assign) and n.op == "^=" for n in walk(f.body))
    assert any(isinstance(n, ir.Unsupported) and n.what == "FLOATING_LITERAL" for n in walk(f.body))


def test_unsupported_construct_raises_in_strict_mode_and_is_a_note_otherwise(tmp_path, monkeypatch):
    code = "static int f(void) { void *p = &&lbl; lbl: return p != 0; }\n"
    with pytest.raises(UnsupportedConstruct):
        lower(code, tmp_path)
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    unit = lower(code, tmp_path, config=Config(frontend="pycparser"))
    assert [n.message for n in unit.notes if n.kind == "unsupported"] == \
        ["construct not analysed: the address of a label (&&label)"]


def test_missing_header_becomes_a_note(tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    unit = lower("#include <linux/not_in_the_bundle.h>\nstatic int x;\n", tmp_path,
                 config=Config(frontend="pycparser"))
    note = [n for n in unit.notes if n.kind == "missing-include"]
    assert len(note) == 1 and "not_in_the_bundle.h" in note[0].message and note[0].loc.line == prelude_lines() + 1
    assert [v.name for v in unit.variables] == ["x"]


def test_missing_header_types_are_recovered_with_a_diagnostic(tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    unit = lower("#include <linux/not_in_the_bundle.h>\nstatic gadget_t g;\nstatic int y = 2;\n", tmp_path,
                 config=Config(frontend="pycparser"))
    assert [v.name for v in unit.variables] == ["g", "y"]
    assert [n.kind for n in unit.notes] == ["missing-include", "diagnostic"]


def test_missing_preprocessor_is_a_clear_error(tmp_path, monkeypatch):
    from klplint.frontend.pure import preprocess as pyc_preprocess
    monkeypatch.setattr(pyc_preprocess, "pcpp", None)
    with pytest.raises(FrontendError) as e:
        lower("int x;\n", tmp_path, prelude=False)
    assert "pcpp" in e.value.reason and "libclang" in e.value.reason


def test_unusable_pycparser_is_a_clear_error(tmp_path, monkeypatch):
    from klplint.frontend.pure import lower as from_pycparser
    monkeypatch.setattr(from_pycparser, "_PYCPARSER_ERROR", "pycparser 2.21 is too old (3.0 or later needed)")
    with pytest.raises(FrontendError) as e:
        lower("int x;\n", tmp_path, prelude=False)
    assert "too old" in e.value.reason


def test_parse_error_names_the_place(tmp_path):
    with pytest.raises(FrontendError) as e:
        lower("static int f(void)\n{\n\treturn 1 +;\n}\n", tmp_path, prelude=False)
    assert (e.value.line, e.value.col) == (3, 12) and "snippet.c:3:12" in e.value.reason


def test_preprocessor_error_and_include_cycle(tmp_path):
    with pytest.raises(FrontendError) as e:
        lower("#error not today\nint x;\n", tmp_path, prelude=False)
    assert e.value.line == 1 and "not today" in e.value.reason
    (tmp_path / "a.h").write_text('#include "b.h"\nint a;\n')
    (tmp_path / "b.h").write_text('#include "a.h"\nint b;\n')
    with pytest.raises(FrontendError) as e:
        lower('#include "a.h"\nint main_var;\n', tmp_path, name="cycle.c", prelude=False)
    assert "include cycle" in e.value.reason


def test_kernel_dir_that_is_not_a_tree_is_a_clear_error(tmp_path):
    with pytest.raises(FrontendError) as e:
        lower("int x;\n", tmp_path, config=Config(frontend="pycparser", kernel_dir=str(tmp_path / "nope")))
    assert "not a kernel build tree" in e.value.reason


def test_cli_check_with_the_pycparser_front_end():
    path = os.path.join(ROOT, "corpus", "structure", "bad", "klp104_hook_gap.c")
    env = dict(os.environ)
    env.pop("KLPLINT_STRICT", None)
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--frontend", "pycparser", "--no-cache", path],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "KLP104" in r.stdout and "Traceback" not in r.stderr


@pytest.mark.kernel
@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir(DEBIAN_HEADERS), reason="Debian's linux-headers-6.1.0-56-amd64 not installed")
def test_kernel_dir_reads_debians_headers(kernel_source):
    """The real headers work (slowly: pcpp and pycparser read ~550 headers, ~20-40 s a file)."""
    path = str(kernel_source / "samples" / "livepatch" / "livepatch-sample.c")
    unit = parse(path, Config(frontend="pycparser", kernel_dir=DEBIAN_HEADERS, strict=True))
    assert {f.name for f in unit.functions} >= {"livepatch_cmdline_proc_show", "livepatch_init"}
    assert any(i.endswith("include/linux/livepatch.h") for i in unit.includes)
    from klplint import frontend
    if not frontend.libclang_problem():
        clang = parse(path, Config(kernel_dir=DEBIAN_HEADERS, strict=True))
        assert ir.dump(unit) == ir.dump(clang)
        assert unit.includes == clang.includes and unit.records == clang.records
