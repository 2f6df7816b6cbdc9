"""Code the compiler rejected costs at most what it touches: a function that cannot be lowered is a note for that
function, and a table whose initializer clang dropped is "could not analyse", never a structural finding."""
from __future__ import annotations

import pytest

from klplint import frontend as fe
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file

TAIL = r"""
static struct klp_object objs[] = { { .name = NULL, .funcs = funcs, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int lp_init(void) { return klp_enable_patch(&patch); }
static void lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""
HEAD = "#include <linux/module.h>\n#include <linux/livepatch.h>\n#include <linux/not_in_the_bundle.h>\n" \
       "static int lp_repl(void) { return 0; }\n"
FUNCS = 'static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_repl, }, { } };\n'

INVALID_TABLES = {
    "undefined_macro": 'static struct klp_func funcs[] = {\n'
                       '\t{ .old_name = "f", .new_func = lp_repl, .old_sympos = NOT_DEFINED_SYMPOS },\n\t{ }\n};\n',
    "failed_error_branch": 'static struct klp_func funcs[] = {\n#ifdef CONFIG_NOT_SET_ANYWHERE\n'
                           '\t{ .old_name = "f", .new_func = lp_repl, },\n#else\n#error "unsupported configuration"\n'
                           '#endif\n\t{ }\n};\n',
}


def _check(tmp_path, name, code, frontend):
    if frontend == "libclang" and fe.libclang_problem():
        pytest.skip("libclang cannot be loaded here")
    path = tmp_path / f"{name}.c"
    path.write_text(code)
    return analyze_file(str(path), Config(frontend=frontend, strict=False))


@pytest.mark.parametrize("frontend", ["libclang", "pycparser"])
@pytest.mark.parametrize("case", sorted(INVALID_TABLES))
def test_table_with_a_rejected_initializer_is_not_analysed(case, frontend, tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    r = _check(tmp_path, case, HEAD + INVALID_TABLES[case] + TAIL, frontend)
    assert not r.errors
    assert [f.rule for f in r.findings if f.level != "note"] == []
    notes = [f.message for f in r.findings if f.rule == "KLP213"]
    assert any("could not analyse the struct klp_func table 'funcs'" in m and "rejected" in m for m in notes), notes
    reason = "NOT_DEFINED_SYMPOS" if case == "undefined_macro" else "unsupported configuration"
    assert any(reason in m for m in notes), notes


@pytest.mark.parametrize("clause", ["i = UNDEF_X; i < 3; i++", "i = 0; i < 3; i += UNDEF_X"])
def test_for_clause_clang_dropped_is_a_note_for_that_function(clause, tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    code = HEAD + "static int counted(void)\n{\n\tint i, n = 0;\n\tfor (" + clause + ")\n\t\tn++;\n\treturn n;\n}\n" \
        + FUNCS + TAIL.replace("static void lp_exit(void) { }", "static void lp_exit(void) { counted(); }")
    r = _check(tmp_path, "for_clause", code, "libclang")
    assert not r.errors, r.errors
    notes = [f for f in r.findings if f.rule == "KLP213"]
    assert (8, "construct not analysed: for statement - the compiler rejected this code "
               "(a parse error, not an unsupported construct)") in [(n.loc.line, n.message) for n in notes]
    assert r.module is not None and r.module.patches


def test_a_lowering_failure_costs_only_its_function(tmp_path, monkeypatch):
    """Whatever shape clang's error recovery gives a tree, an exception in the lowering of one
    function is a note for it; the other functions and the tables are still analysed."""
    if fe.libclang_problem():
        pytest.skip("libclang cannot be loaded here")
    from klplint.frontend.libclang import lower as from_clang
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    real = from_clang._Lowerer.function

    def failing(self, c):
        if c.spelling == "broken":
            raise IndexError("list index out of range")
        return real(self, c)
    monkeypatch.setattr(from_clang._Lowerer, "function", failing)
    code = HEAD.replace("#include <linux/not_in_the_bundle.h>\n", "#include <linux/slab.h>\n") + \
        "static void *p;\nstatic int lp_flag;\nstatic int broken(void) { return 1; }\n" \
        "static int lp_pre(struct klp_object *obj) { p = kzalloc(8, GFP_KERNEL); if (!p) return -ENOMEM;\n" \
        "\tif (lp_flag) return -EINVAL; return 0; }\n" + FUNCS + \
        TAIL.replace(".name = NULL, .funcs = funcs,", ".name = NULL, .funcs = funcs, .callbacks = { .pre_patch = lp_pre },") \
        .replace("static void lp_exit(void) { }", "static void lp_exit(void) { broken(); }")
    r = _check(tmp_path, "broken", code, "libclang")
    assert not r.errors, r.errors
    notes = [f.message for f in r.findings if f.rule == "KLP213"]
    assert any("broken() could not be lowered (IndexError: list index out of range)" in m for m in notes), notes
    # the other functions are lowered whole
    from klplint import ir
    from klplint.ir.util import walk
    lp_pre = r.module.functions["lp_pre"]
    assert lp_pre.body is not None and any(isinstance(n, ir.Return) for n in walk(lp_pre.body))
    assert not any(isinstance(n, (ir.Unsupported, ir.UnsupportedStmt)) for n in walk(lp_pre.body))


# KLP213 is a verdict about lifecycle code: a construct nothing executes costs nothing.
LIFECYCLE = r"""
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
static int lp_value;
static int lp_repl(void)
{
	void *next = &&done;
	goto *next;
done:
	return 0;
}
static int lp_unreached(void) { void *p = &&out; goto *p; out: return 1; }
static int lp_pre(struct klp_object *obj)
{
%(hook_body)s
	return 0;
}
static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_repl, }, { } };
static struct klp_object objs[] = { { .name = NULL, .funcs = funcs, .callbacks = { .pre_patch = lp_pre }, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int lp_init(void) { return klp_enable_patch(&patch); }
static void lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


@pytest.mark.parametrize("frontend", ["libclang", "pycparser"])
def test_unsupported_constructs_are_reported_only_in_lifecycle_code(frontend, tmp_path, monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    quiet = _check(tmp_path, "quiet", LIFECYCLE % {"hook_body": "\tlp_value = 1;"}, frontend)
    assert [f for f in quiet.findings if f.rule == "KLP213"] == []
    loud = _check(tmp_path, "loud", LIFECYCLE % {"hook_body": "\tvoid *p = &&again;\nagain:\n\tlp_value++;\n"
                                                              "\tif (lp_value < 2)\n\t\tgoto *p;"}, frontend)
    notes = [(f.loc.line, f.message) for f in loud.findings if f.rule == "KLP213"]
    hook_line = (LIFECYCLE % {"hook_body": ""}).splitlines().index("static int lp_pre(struct klp_object *obj)") + 1
    assert notes and all(line >= hook_line for line, _ in notes), notes     # none in lp_repl, lp_unreached
    assert ("construct not analysed: the address of a label (&&label)" in [m for _, m in notes]), notes
    assert not any("_EXPR" in m or "_STMT" in m for _, m in notes), notes
