"""Table shapes the extraction does not expect give a note or a finding, never an exception: a
declared size with fewer (or no) initializers, arrays filled at run time, compound literals, tables
built by macros, designated indexes past the end."""
from __future__ import annotations

import pytest

from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file

HEAD = """\
#include <linux/livepatch.h>
#include <linux/module.h>
static int f(void) { return 0; }
static struct klp_func funcs[] = { { .old_name = "x", .new_func = f }, { } };
"""
TAIL = """\
static int lp_init(void) { return klp_enable_patch(&patch); }
module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""
PATCH = "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };\n"

# name -> (the objs table and anything around it, rules that must be reported, rules that must not)
SHAPES = {
    "one element, no initializer": ("static struct klp_object objs[1];\n" + PATCH, {"KLP111"}, {"KLP101"}),
    "sized, empty initializer": ("static struct klp_object objs[2] = { };\n" + PATCH, {"KLP111"}, {"KLP101"}),
    "sized, fewer initializers": ("static struct klp_object objs[3] = { { .funcs = funcs } };\n" + PATCH,
                                  set(), {"KLP101", "KLP111"}),
    "zero length": ("static struct klp_object objs[0];\n" + PATCH, {"KLP101"}, set()),
    "filled at run time": ("static struct klp_object objs[3];\n" + PATCH +
                           "static int setup(void) { objs[0].funcs = funcs; return 0; }\n", {"KLP213"}, {"KLP111"}),
    "filled by memcpy": ("static struct klp_object objs[3];\nstatic struct klp_object one = { .funcs = funcs };\n"
                         + PATCH + "static void setup(void) { memcpy(&objs[0], &one, sizeof(one)); }\n",
                         {"KLP213"}, {"KLP111"}),
    "compound literal": ("static struct klp_patch patch = { .mod = THIS_MODULE,\n"
                         "  .objs = (struct klp_object[]){ { .funcs = funcs }, { } } };\n", set(), {"KLP111"}),
    "compound literal without terminator": ("static struct klp_patch patch = { .mod = THIS_MODULE,\n"
                                            "  .objs = (struct klp_object[]){ { .funcs = funcs } } };\n",
                                            {"KLP101"}, set()),
    "built by macros": ('#define OBJ(n) { .name = n, .funcs = funcs }\n#define OBJS(...) { __VA_ARGS__, { } }\n'
                        'static struct klp_object objs[] = OBJS(OBJ(NULL), OBJ("ext4"));\n' + PATCH,
                        set(), {"KLP101", "KLP111"}),
    "designated past the end": ("static struct klp_object objs[] = { [0] = { .funcs = funcs }, [3] = { } };\n" + PATCH,
                                set(), {"KLP101", "KLP111"}),
    "pointer table": ("static struct klp_object *objp;\n"
                      "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objp };\n", set(), set()),
}


@pytest.mark.parametrize("name", list(SHAPES))
@pytest.mark.parametrize("frontend", ["libclang", "pycparser"])
def test_shape_is_a_note_or_a_finding(tmp_path, name, frontend):
    body, must, must_not = SHAPES[name]
    path = tmp_path / "lp.c"
    path.write_text(HEAD + body + TAIL)
    r = analyze_file(str(path), Config(strict=False, frontend=frontend))    # an exception fails the test
    rules = {f.rule for f in r.findings}
    if r.errors:        # the front end refused the C (pycparser is stricter on some shapes): one line
        assert all("\n" not in e.reason for e in r.errors)
        return
    assert must <= rules, (name, [str(f.message) for f in r.findings])
    assert not (must_not & rules), (name, [f"{f.rule} {f.message}" for f in r.findings])
