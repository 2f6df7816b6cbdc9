"""KLP215, the half about clearing: a module object's address (obj->mod, a symbol looked up for it) kept
by its patch-side callback must be dropped by its post_unpatch, or code that runs while the module is
gone (other objects' functions and callbacks, module_exit) uses freed module memory."""
import pytest

from harness import PRELUDE, assert_findings, callback_functions


def _module(mod_callbacks: dict, vmlinux_use: str = "", exit_use: str = "", own_use: str = "") -> str:
    """A vmlinux object and an "xfs" object; `mod_callbacks` role -> body for xfs."""
    bodies, roles = callback_functions(mod_callbacks, "lp_xfs_")
    return (f"{PRELUDE}#include <linux/kallsyms.h>\nstatic struct module *lp_m;\nstatic unsigned long *lp_tab;\n"
            f"static void lp_vm(void)\n{{\n{vmlinux_use}\n}}\n"
            f"static void lp_own(void)\n{{\n{own_use}\n}}\n{bodies}"
            'static struct klp_func vf[] = { { .old_name = "vm", .new_func = lp_vm }, { } };\n'
            'static struct klp_func xf[] = { { .old_name = "xfs_x", .new_func = lp_own }, { } };\n'
            "static struct klp_object objs[] = { { .funcs = vf }, {\n\t.name = \"xfs\",\n\t.funcs = xf,\n"
            f"\t.callbacks = {{\n{roles}\t}},\n}}, {{ }} }};\n"
            "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };\n"
            "static int __init lp_init(void)\n{\n\treturn klp_enable_patch(&patch);\n}\n"
            f"static void __exit lp_exit(void)\n{{\n{exit_use}\n}}\n"
            'module_init(lp_init);\nmodule_exit(lp_exit);\nMODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n')


KEEP = "\tlp_m = obj->mod;"
NAME = "\tif (lp_m)\n\t\tpr_info(\"%s\\n\", lp_m->name);"
LOOKUP = "\tlp_tab = (void *)kallsyms_lookup_name(\"xfs_tab\");"
TAB = "\tif (lp_tab)\n\t\tlp_tab[0]++;"


@pytest.mark.parametrize("callbacks,vm,exit_use,own,fires", [
    ({"pre_patch": KEEP}, NAME, "", "", 1),                                 # a vmlinux replacement uses it
    ({"pre_patch": KEEP}, "", NAME, "", 1),                                 # module_exit uses it
    ({"pre_patch": KEEP}, "", "", NAME, 0),                                 # only xfs's own code: loaded
    ({"pre_patch": KEEP, "post_unpatch": "\tlp_m = NULL;"}, NAME, "", "", 0),
    ({"pre_patch": KEEP, "pre_unpatch": "\tlp_m = NULL;"}, NAME, "", "", 1),  # skipped during a transition
    ({"post_patch": KEEP}, NAME, "", "", 1),
    ({"pre_patch": LOOKUP}, TAB, "", "", 1),                                # a symbol looked up for xfs
    ({"pre_patch": LOOKUP, "post_unpatch": "\tlp_tab = NULL;"}, TAB, "", "", 0),
])
def test_module_address_kept(callbacks, vm, exit_use, own, fires):
    found = assert_findings(_module(callbacks, vm, exit_use, own), *(["KLP215"] * fires), family="KLP215")
    for f in found:
        assert "post_unpatch" in f.message and f.path
