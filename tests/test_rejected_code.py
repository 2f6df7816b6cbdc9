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
        + FUNCS + TAIL
    r = _check(tmp_path, "for_clause", code, "libclang")
    assert not r.errors, r.errors
    notes = [f for f in r.findings if f.rule == "KLP213"]
    assert [(n.loc.line, n.message) for n in notes] == [
        (8, "construct not analysed: for statement - the compiler rejected this code "
            "(a parse error, not an unsupported construct)")]
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
        TAIL.replace(".name = NULL, .funcs = funcs,", ".name = NULL, .funcs = funcs, .callbacks = { .pre_patch = lp_pre },")
    r = _check(tmp_path, "broken", code, "libclang")
    assert not r.errors, r.errors
    notes = [f.message for f in r.findings if f.rule == "KLP213"]
    assert any("broken() could not be lowered (IndexError: list index out of range)" in m for m in notes), notes
    # lp_pre was lowered and executed: what it allocates is still seen to leak
    assert "KLP204" in [f.rule for f in r.findings], [(f.rule, f.message) for f in r.findings]
