"""Whether a function can run into its closing brace by the shape of its code (ir.flow.falls_off), and
KLP209 on hooks and helpers that do so on no path the lifecycle allows."""
import pytest

from harness import callbacks_module, describe, parse_c, run_klplint
from klplint.ir.flow import falls_off


def _end(body: str):
    """falls_off() of `int f(...)` with `body`: None, the line (1-based, in `body`) past which it falls,
    or 0 for the function itself."""
    tu = parse_c("void BUG(void);\nvoid panic(const char *);\nint f(int x, int *p)\n{\n" + body + "\n}\n",
                 prelude=False)
    fn = next(f for f in tu.functions if f.name == "f")
    loc = falls_off(fn)
    return None if loc is None else (0 if loc.line == 3 else loc.line - 4)


@pytest.mark.parametrize("body,end", [
    ("return 0;", None),
    ("", 0),                                                        # an empty body: the function itself
    ("if (x)\n\treturn 1;", 1),
    ("if (x)\n\treturn 1;\nelse\n\treturn 0;", None),
    ("switch (x) {\ncase 0:\n\treturn 0;\ncase 1:\n\treturn 1;\n}", 1),          # no default
    ("switch (x) {\ncase 0:\n\treturn 0;\ndefault:\n\treturn 1;\n}", None),
    ("switch (x) {\ncase 0:\n\treturn 0;\ndefault:\n\tbreak;\n}", 1),           # default breaks out
    ("switch (x) {\ncase 0:\n\treturn 0;\ndefault:\n\tx++;\n}", 1),             # the last case falls through
    # a nested switch's default is not the outer one's
    ("switch (x) {\ncase 0:\n\tswitch (*p) {\n\tdefault:\n\t\treturn 2;\n\t}\n}", 1),
    ("for (;;) {\n\tif (x)\n\t\treturn 1;\n}", None),
    ("for (;;) {\n\tif (x)\n\t\tbreak;\n}", 1),
    ("while (1)\n\tx++;", None),
    ("while (x)\n\tx--;", 1),
    ("while (1) {\n\tswitch (x) {\n\tcase 1:\n\t\tbreak;\n\t}\n}", None),      # that break leaves the switch
    ("do {\n\tx++;\n} while (0);\nreturn x;", None),
    ("do {\n\tif (x)\n\t\tcontinue;\n\treturn 0;\n} while (0);", 1),            # continue ends a do-while(0)
    ("if (x)\n\treturn 0;\nBUG();", None),
    ("if (x)\n\treturn 0;\npanic(\"no\");", None),
    ("if (0)\n\treturn 0;\nreturn 1;", None),
    ("if (1)\n\treturn 0;", None),
    ("if (x)\n\tgoto out;\nreturn 0;\nout:\n\treturn -1;", None),
    ("if (x)\n\tgoto out;\nreturn 0;\nout:\n\tx = -1;", 4),                    # the label's code runs off
    ("int r = 0;\nif (x)\n\tgoto out;\nr = 1;\nout:\nreturn r;", None),
])
def test_falls_off_by_shape(body, end):
    assert _end(body) == end


def _xfs(pre_patch: str, helper: str = "") -> str:
    code = helper + "static int lp_pre(struct klp_object *obj)\n{\n" + pre_patch + "\n}\n"
    return callbacks_module(code, {"pre_patch": "lp_pre"}, object_name="xfs")


def test_a_hook_switching_over_the_states_it_sees_without_a_default_falls_off():
    """pre_patch sees LIVE or COMING only, so no scenario runs past the switch: C still lets control
    run into the closing brace (the kernel build rejects it with -Werror=return-type)."""
    code = _xfs("switch (obj->mod->state) {\ncase MODULE_STATE_LIVE:\n\treturn 0;\n"
                "case MODULE_STATE_COMING:\n\treturn 0;\n}")
    found = run_klplint(code).findings
    hits = [f for f in found if f.rule == "KLP209"]
    assert len(hits) == 1 and "past line" in hits[0].message, describe(found)
    assert hits[0].loc.line == code.splitlines().index("static int lp_pre(struct klp_object *obj)") + 1


def test_a_hook_whose_switch_has_a_default_return_is_clean():
    code = _xfs("switch (obj->mod->state) {\ncase MODULE_STATE_LIVE:\n\treturn 0;\n"
                "default:\n\treturn -EINVAL;\n}")
    found = run_klplint(code).findings
    assert "KLP209" not in [f.rule for f in found], describe(found)


HELPER = ("static int lp_side(struct module *mod)\n{\n\tswitch (mod->state) {\n"
          "\tcase MODULE_STATE_LIVE:\n\t\treturn 0;\n\tcase MODULE_STATE_COMING:\n\t\treturn 1;\n\t}\n}\n")


@pytest.mark.parametrize("use,fires", [
    ("return lp_side(obj->mod);", True),
    ("if (lp_side(obj->mod) > 0)\n\treturn -EBUSY;\nreturn 0;", True),
    ("int r;\n\nr = lp_side(obj->mod);\nif (r < 0)\n\tgoto fail;\nreturn 0;\nfail:\nreturn r;", True),
    ("lp_side(obj->mod);\nreturn 0;", False),              # the result is not used
])
def test_a_helper_falling_off_by_shape_counts_when_the_hook_uses_its_result(use, fires):
    code = _xfs(use, HELPER)
    found = run_klplint(code).findings
    hits = [f for f in found if f.rule == "KLP209"]
    assert [h.loc.line for h in hits] == \
        ([code.splitlines().index("static int lp_side(struct module *mod)") + 1] if fires else []), \
        describe(found)
    # the ghost path that asks for the use reports nothing else: the same module without the helper's
    # fall-off has the same other findings
    fixed = _xfs(use, HELPER.replace("\t}\n}\n", "\t}\n\treturn 0;\n}\n"))
    others = sorted(f.rule for f in found if f.rule != "KLP209")
    assert others == sorted(f.rule for f in run_klplint(fixed).findings)
