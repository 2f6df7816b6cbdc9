"""KLP216: what replacement functions dereference must exist from the start of the patching transition
to the end of the unpatching one (set up in pre_patch or module_init, released in post_unpatch)."""
import pytest

from harness import PRELUDE, assert_findings, callback_functions


def _module(replacement: str, callbacks: dict, extra: str = "", init: str = "") -> str:
    """A callbacks-API module whose replacement lp_new() has `replacement` as its body, with `callbacks`
    (role -> body) on its vmlinux object."""
    bodies, roles = callback_functions(callbacks, "lp_")
    return (f"{PRELUDE}\nstruct lp_stats {{ long hits; }};\n"
            f"static struct lp_stats *lp_st;\n{extra}\n"
            f"static void lp_new(void)\n{{\n{replacement}\n}}\n\n{bodies}"
            'static struct klp_func funcs[] = { { .old_name = "old", .new_func = lp_new }, { } };\n'
            f"static struct klp_object objs[] = {{ {{\n\t.funcs = funcs,\n\t.callbacks = {{\n{roles}\t}},\n}}, {{ }} }};\n"
            "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };\n"
            f"static int __init lp_init(void)\n{{\n{init}\treturn klp_enable_patch(&patch);\n}}\n"
            "static void __exit lp_exit(void)\n{\n}\n"
            'module_init(lp_init);\nmodule_exit(lp_exit);\nMODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n')


ALLOC = "\tlp_st = kzalloc(sizeof(*lp_st), GFP_KERNEL);"
USE = "\tlp_st->hits++;"
TESTED = "\tif (lp_st)\n\t\tlp_st->hits++;"


@pytest.mark.parametrize("replacement,callbacks,extra,init,fires", [
    # set up too late
    (USE, {"post_patch": ALLOC}, "", "", 1),
    (USE, {"pre_patch": ALLOC}, "", "", 0),
    (USE, {"pre_patch": ALLOC, "post_patch": ALLOC}, "", "", 0),       # not only late
    (TESTED, {"post_patch": ALLOC}, "", "", 0),                        # the replacement copes
    (USE, {}, "", ALLOC + "\n", 0),                                    # module_init: before the enable
    # read through READ_ONCE's *(volatile T *)&x
    ("\t(*(struct lp_stats * volatile *)&lp_st)->hits++;", {"post_patch": ALLOC}, "", "", 1),
    # the address escapes: someone else may set it up
    (USE, {"post_patch": ALLOC, "pre_patch": "\tlp_register(&lp_st);"},
     "void lp_register(struct lp_stats **p);", "", 0),
    # released too early
    (TESTED, {"pre_patch": ALLOC, "pre_unpatch": "\tkfree(lp_st);\n\tlp_st = NULL;"}, "", "", 1),
    (TESTED, {"pre_patch": ALLOC, "pre_unpatch": "\tlp_st = NULL;"}, "", "", 0),   # cleared, tested
    (USE, {"pre_patch": ALLOC, "pre_unpatch": "\tlp_st = NULL;"}, "", "", 1),      # cleared, not tested
    (USE, {"pre_patch": ALLOC, "post_unpatch": "\tkfree(lp_st);\n\tlp_st = NULL;"}, "", "", 0),
    # through a helper of the replacement, and a setter helper
    ("\tlp_count();", {"post_patch": "\tlp_setup();"},
     "static void lp_count(void) { lp_st->hits++; }\n"
     "static void lp_setup(void) { lp_st = kzalloc(sizeof(*lp_st), GFP_KERNEL); }", "", 1),
    # the setter helper also runs from module_init: set up before the window opens
    ("\tlp_count();", {"post_patch": "\tlp_setup();"},
     "static void lp_count(void) { lp_st->hits++; }\n"
     "static void lp_setup(void) { lp_st = kzalloc(sizeof(*lp_st), GFP_KERNEL); }", "\tlp_setup();\n", 0),
])
def test_replacement_window(replacement, callbacks, extra, init, fires):
    src = _module(replacement, callbacks, extra, init)
    found = assert_findings(src, *(["KLP216"] * fires), family="KLP216")
    for f in found:
        assert "lp_new()" in f.message and "'lp_st'" in f.message and f.path


def test_a_pointer_with_a_static_target_is_set_from_the_start():
    src = _module(USE, {"post_patch": ALLOC}, "", "").replace(
        "static struct lp_stats *lp_st;", "static struct lp_stats lp_first;\nstatic struct lp_stats *lp_st = &lp_first;")
    assert_findings(src, family="KLP216")


def test_the_message_names_both_ends_of_the_window():
    src = _module(USE, {"post_patch": ALLOC, "pre_unpatch": "\tkfree(lp_st);"}, "", "")
    [f] = assert_findings(src, "KLP216", family="KLP216")
    assert "post_patch (lp_post_patch())" in f.message and "pre_unpatch (lp_pre_unpatch())" in f.message
    assert [s.loc.line for s in f.path] == sorted(s.loc.line for s in f.path)


def _work_module(replacement: str, callbacks: dict, decl: str = "static struct work_struct lp_w;",
                 exit_body: str = "") -> str:
    bodies, roles = callback_functions(callbacks, "lp_")
    return (f"{PRELUDE}#include <linux/workqueue.h>\nstatic void lp_fn(struct work_struct *w) {{ }}\n{decl}\n"
            f"static void lp_new(void)\n{{\n{replacement}\n}}\n\n{bodies}"
            'static struct klp_func funcs[] = { { .old_name = "old", .new_func = lp_new }, { } };\n'
            f"static struct klp_object objs[] = {{ {{\n\t.funcs = funcs,\n\t.callbacks = {{\n{roles}\t}},\n}}, {{ }} }};\n"
            "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };\n"
            "static int __init lp_init(void)\n{\n\treturn klp_enable_patch(&patch);\n}\n"
            f"static void __exit lp_exit(void)\n{{\n{exit_body}\n}}\n"
            'module_init(lp_init);\nmodule_exit(lp_exit);\nMODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n')


QUEUE = "\tschedule_work(&lp_w);"
INIT = "\tINIT_WORK(&lp_w, lp_fn);"
CANCEL = "\tcancel_work_sync(&lp_w);"


@pytest.mark.parametrize("callbacks,decl,exit_body,fires", [
    ({"post_patch": INIT, "post_unpatch": CANCEL}, None, "", 1),          # initialised too late
    ({"pre_patch": INIT, "post_unpatch": CANCEL}, None, "", 0),
    ({"pre_patch": INIT, "pre_unpatch": CANCEL}, None, "", 1),            # stopped too early
    ({"pre_patch": INIT, "pre_unpatch": CANCEL}, None, CANCEL, 0),        # ... and again in module_exit
    ({"post_unpatch": CANCEL}, "static DECLARE_WORK(lp_w, lp_fn);", "", 0),   # set up by its initializer
    ({"post_patch": INIT, "pre_unpatch": CANCEL}, None, "", 1),           # both: one finding
])
def test_replacement_arms_a_work_item(callbacks, decl, exit_body, fires):
    src = _work_module(QUEUE, callbacks, decl or "static struct work_struct lp_w;", exit_body)
    found = assert_findings(src, *(["KLP216"] * fires), family="KLP216")
    for f in found:
        assert "'lp_w'" in f.message and "lp_new()" in f.message and f.path
