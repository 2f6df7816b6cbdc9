"""The libclang lowering: statements and expressions hooks use, locations, strictness, missing headers."""
from __future__ import annotations

import pytest

from klplint import ir
from klplint.config.settings import Config
from klplint.frontend.strict import UnsupportedConstruct
from klplint.ir.util import walk

from helpers import parse_c, prelude_lines

CODE = r"""
struct thing { int count; struct thing *next; };
static struct thing *head;
static int flags[4];
static int hook(struct klp_object *obj)
{
	struct thing local = { .count = 1 };
	struct thing *t;
	int i, n = 0;

	if (!obj->mod)
		return 0;
	else if (obj->mod->state == MODULE_STATE_COMING)
		n += 2;
	switch (n) {
	case 1:
		n++;
		break;
	case 2:
	default:
		n--;
	}
	for (i = 0; i < 4; i++)
		flags[i] |= 1 << i;
	for (;;)
		break;
	for (int j = 0; ; j++)
		if (j > 3)
			break;
	while (n > 0)
		n--;
	do {
		n++;
		continue;
	} while (n < 2);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto fail;
	t->next = head;
	head = t;
	local.count = t ? t->count : -1;
	n = (int)(long)head + ({ int z = 3; z; });
	return strcmp(obj->name, "m") == 0 ? n : -EINVAL;
fail:
	return -ENOMEM;
}
"""


def _fn(unit, name):
    return next(f for f in unit.functions if f.name == name)


def test_statements_and_expressions_are_lowered():
    unit = parse_c(CODE)
    f = _fn(unit, "hook")
    kinds = {type(n).__name__ for n in walk(f.body)}
    for k in ("If", "Switch", "Case", "Default", "For", "While", "DoWhile", "Return", "Goto", "Label", "Break",
              "Continue", "DeclStmt", "Call", "Assign", "Member", "Index", "Unary", "Binary", "Cond", "Cast",
              "SizeOf", "StrLit", "IntLit", "InitList", "StmtExpr"):
        assert k in kinds, k
    assert not any(isinstance(n, (ir.Unsupported, ir.UnsupportedStmt)) for n in walk(f.body))
    fors = [n for n in walk(f.body) if isinstance(n, ir.For)]
    assert [(x.init is not None, x.cond is not None, x.step is not None) for x in fors] == \
        [(True, True, True), (False, False, False), (True, False, True)]
    members = [n for n in walk(f.body) if isinstance(n, ir.Member)]
    assert any(m.field == "mod" and m.arrow for m in members)
    assert any(m.field == "count" and not m.arrow for m in members)
    names = {n.name: n for n in walk(f.body) if isinstance(n, ir.Name)}
    assert names["obj"].kind == "param" and names["head"].kind == "var" and names["n"].kind == "local"
    assert names["MODULE_STATE_COMING"].kind == "enum" and names["MODULE_STATE_COMING"].value == 1
    assert names["kzalloc"].kind == "func"
    rets = [n for n in walk(f.body) if isinstance(n, ir.Return)]
    enomem = rets[-1].value
    assert isinstance(enomem, ir.Unary) and enomem.op == "-" and enomem.operand.value == 12
    assert f.loc.line == prelude_lines() + 5 and f.loc.col == 12


def test_types_are_canonical():
    unit = parse_c("static int hook(struct klp_object *obj) { return 0; }\n"
                   "static void (*cb)(struct klp_object *) ;\nstatic const char *names[3];\n")
    f = _fn(unit, "hook")
    assert f.type.spelling() == "int (struct klp_object *)"
    v = {x.name: x for x in unit.variables}
    assert v["cb"].type.spelling() == "void (*)(struct klp_object *)"
    assert v["names"].type.kind == "array" and v["names"].type.size == 3
    assert v["names"].type.target.target.const      # const char *


def test_unsupported_construct_raises_in_strict_mode_and_is_a_note_otherwise(monkeypatch):
    code = "static int f(void) { void *p = &&lbl; lbl: return p != 0; }\n"
    with pytest.raises(UnsupportedConstruct):
        parse_c(code, config=Config(strict=True))
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    unit = parse_c(code, config=Config(strict=False))
    assert any(n.kind == "unsupported" for n in unit.notes)


def test_missing_header_becomes_a_note(monkeypatch):
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)
    unit = parse_c("#include <linux/not_in_the_bundle.h>\nstatic int x;\n", config=Config())
    assert any(n.kind == "missing-include" and "not_in_the_bundle.h" in n.message for n in unit.notes)
    assert [v.name for v in unit.variables] == ["x"]


def test_module_init_and_modinfo_shapes():
    unit = parse_c("static int __init a(void) { return 0; }\nmodule_init(a);\nMODULE_LICENSE(\"GPL\");\n")
    init = _fn(unit, "init_module")
    assert init.alias == "a"
    modinfo = [v for v in unit.variables if v.section == ".modinfo"]
    assert [v.init.value for v in modinfo] == ["license=GPL"]


def test_alias_attribute_is_read_without_clang_lookup():
    # module_init's alias("a") is read as klplint's annotation (no lookup of "a" by clang); the lowered
    # declaration still names its target, and a section beside the alias is still read
    unit = parse_c('static int __init a(void) { return 0; }\nmodule_init(a);\n'
                   'static void b(void) { }\n'
                   'int other(void) __attribute__((section(".text.x"), alias("b")));\n')
    assert _fn(unit, "init_module").alias == "a"
    other = _fn(unit, "other")
    assert (other.alias, other.section) == ("b", ".text.x")


@pytest.mark.parametrize("text, applies", [
    ('int init_module(void) __attribute__((alias("x")));', True),
    ("#define my_init(fn) int init_module(void) __attribute__((alias(#fn)))", True),
    ("__attribute__((unused, alias(__stringify(name))))", True),
    ("static int alias(int x) { return x; }", False),           # the file's own function named alias
    ("#define alias(x) (x + 1)", False),                        # ... or macro
    ("int y = alias (3);", False),
    ("struct s { int alias; }; int z = p->alias;", True),      # a field named alias is no call
])
def test_alias_marker_applies_only_where_alias_is_the_attribute(text, applies):
    from klplint.frontend.libclang.lower import alias_marker_applies
    assert alias_marker_applies(text) is applies


def test_a_file_with_its_own_alias_function_is_parsed_as_written():
    unit = parse_c("static int alias(int x) { return x + 1; }\n"
                   "static int __init a(void) { return alias(0) - 1; }\nmodule_init(a);\n")
    assert _fn(unit, "init_module").alias == "a"
    calls = [n for n in walk(_fn(unit, "a").body) if isinstance(n, ir.Call)]
    assert [c.callee.name for c in calls if isinstance(c.callee, ir.Name)] == ["alias"]
