"""An address looked up by name at run time (kallsyms_lookup_name) names the symbol: a load through
it reads that symbol's data as an `extern` of it would, so KLP212 reports the target's data read
before its init exactly as for a direct extern, and only then. The data is the target's when the
module object's own callback looked it up (or a "mod:sym" name says so), vmlinux's when the vmlinux
object's did, and anyone's (as an extern) when module_init did. A relocation table walked only by
code the engine runs does not make the pointers it fills unsure between steps."""
from __future__ import annotations

import pytest
from harness import PRELUDE, assert_findings, model_of

from klplint.analysis.statics import Statics


def _module(code: str, objects: str, init: str = "") -> str:
    """A callbacks-API module: `code`, the objects array body `objects` (each object patches
    lp_fixed), and a module_init that runs `init` before enabling the patch."""
    return (f"{PRELUDE}#include <linux/kallsyms.h>\n#include <linux/errno.h>\n\n"
            "struct lp_tbl { unsigned long gen; unsigned int flags; struct lp_tbl *next; };\n\n"
            f"{code}\n"
            "static int lp_fixed(void) { return 0; }\n\n"
            "static struct klp_func funcs[] = {\n"
            '\t{ .old_name = "fixed", .new_func = lp_fixed, },\n'
            "\t{ }\n};\n\n"
            f"static struct klp_object objs[] = {{\n{objects}\t{{ }}\n}};\n\n"
            "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };\n\n"
            f"static int __init lp_init(void)\n{{\n{init}\treturn klp_enable_patch(&patch);\n}}\n\n"
            "static void __exit lp_exit(void)\n{\n}\n\n"
            "module_init(lp_init);\nmodule_exit(lp_exit);\n"
            'MODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n')


def _object(name, **callbacks) -> str:
    roles = "".join(f"\t\t\t.{role} = {fn},\n" for role, fn in callbacks.items())
    named = f'\t\t.name = "{name}",\n' if name else ""
    return f"\t{{\n{named}\t\t.funcs = funcs,\n\t\t.callbacks = {{\n{roles}\t\t}},\n\t}},\n"


# post_patch of ext4 follows the pointer stored at the resolved address.
FOLLOW = r"""
static void lp_post(struct klp_object *obj)
{
	struct lp_tbl *t = *lp_tbl_p;

	t->flags |= 1;
}
"""

RESOLVE_IN_PRE_PATCH = r"""
static struct lp_tbl **lp_tbl_p;

static int lp_pre(struct klp_object *obj)
{
	lp_tbl_p = (struct lp_tbl **)kallsyms_lookup_name(NAME);
	return lp_tbl_p ? 0 : -ENOENT;
}
"""


@pytest.mark.parametrize("name, fires", [
    ('"ext4_tbl"', True),               # looked up in ext4's pre_patch: ext4's data
    ('"ext4:ext4_tbl"', True),          # qualified with the module it is looked up for
    ('"jbd2:jbd2_tbl"', False),         # another module's, live while ext4 is COMING
])
def test_lookup_in_the_module_objects_pre_patch(name, fires):
    src = _module(RESOLVE_IN_PRE_PATCH.replace("NAME", name) + FOLLOW,
                  _object("ext4", pre_patch="lp_pre", post_patch="lp_post"))
    assert_findings(src, *(["KLP212"] if fires else []), family="KLP212")


def test_lookup_for_vmlinux_is_vmlinux_data_even_in_a_coming_module():
    """vmlinux' pre_patch looked it up: vmlinux is initialised before any livepatch loads (KLP215,
    a structural rule, may still ask for the lookup to move: not this test's business)."""
    src = _module(RESOLVE_IN_PRE_PATCH.replace("NAME", '"kernel_tbl"') + FOLLOW,
                  _object(None, pre_patch="lp_pre") + _object("ext4", post_patch="lp_post"))
    assert_findings(src, family="KLP212")


def test_lookup_in_module_init_is_like_an_extern():
    """module_init cannot tell whose symbol it is: as for an extern, a COMING target's."""
    code = "static struct lp_tbl **lp_tbl_p;\n" + FOLLOW
    init = '\tlp_tbl_p = (struct lp_tbl **)kallsyms_lookup_name("ext4_tbl");\n\tif (!lp_tbl_p)\n' \
           "\t\treturn -ENOENT;\n"
    src = _module(code, _object("ext4", post_patch="lp_post"), init)
    assert_findings(src, "KLP212", family="KLP212")


def test_name_klplint_cannot_read_is_an_unknown_address():
    code = r"""
static const char *lp_name;
static struct lp_tbl **lp_tbl_p;

static int lp_pre(struct klp_object *obj)
{
	lp_tbl_p = (struct lp_tbl **)kallsyms_lookup_name(lp_name);
	return lp_tbl_p ? 0 : -ENOENT;
}
""" + FOLLOW
    assert_findings(_module(code, _object("ext4", pre_patch="lp_pre", post_patch="lp_post")), family="KLP212")


@pytest.mark.parametrize("use, fires", [
    ("(*lp_p)->flags = 1;", True),                       # the pointer the target's init sets up
    ("if (*lp_count > 2)\n\t\tpr_info(\"busy\\n\");", False),   # an integer, only compared
    ("lp_whole->next->flags = 1;", False),               # a field of the target's static struct
    ("lp_p2 = lp_p;", False),                            # the address itself, copied
])
def test_what_counts_as_a_read_mirrors_a_direct_extern(use, fires):
    code = r"""
static struct lp_tbl **lp_p, **lp_p2;
static int *lp_count;
static struct lp_tbl *lp_whole;

static int lp_pre(struct klp_object *obj)
{
	lp_p = (struct lp_tbl **)kallsyms_lookup_name("ext4_tbl_ptr");
	lp_count = (int *)kallsyms_lookup_name("ext4_count");
	lp_whole = (struct lp_tbl *)kallsyms_lookup_name("ext4_tbl");
	if (!lp_p || !lp_count || !lp_whole)
		return -ENOENT;
	return 0;
}

static void lp_post(struct klp_object *obj)
{
	USE
}
""".replace("USE", use)
    src = _module(code, _object("ext4", pre_patch="lp_pre", post_patch="lp_post"))
    found = assert_findings(src, *(["KLP212"] if fires else []), family="KLP212")
    if fires:       # the C the message quotes keeps the parentheses the dereference needs
        assert found[0].message.startswith("'(*lp_p)->flags' reads through 'ext4_tbl_ptr'"), found[0].message


@pytest.mark.parametrize("planted, fires", [
    ("kallsyms_lookup_name", True),     # kallsyms_lookup_name() itself, found by a kprobe (5.7+)
    ("lp_own_lookup", False),           # a function of the file: not the kernel's lookup
])
def test_lookup_called_through_a_kprobe_addr(planted, fires):
    code = r"""
#include <linux/kprobes.h>
typedef unsigned long (*lp_lookup_t)(const char *name);
static lp_lookup_t lp_lookup;
static struct kprobe lp_kp = { .symbol_name = "PLANTED" };
static struct lp_tbl **lp_tbl_p;

static unsigned long lp_own_lookup(const char *name)
{
	return 0;
}

static int lp_pre(struct klp_object *obj)
{
	if (lp_own_lookup("x"))
		return -EINVAL;
	lp_tbl_p = (struct lp_tbl **)lp_lookup("ext4_tbl");
	return lp_tbl_p ? 0 : -ENOENT;
}
""".replace("PLANTED", planted) + FOLLOW
    init = "\tint ret = register_kprobe(&lp_kp);\n\n\tif (ret)\n\t\treturn ret;\n" \
           "\tlp_lookup = (lp_lookup_t)lp_kp.addr;\n\tunregister_kprobe(&lp_kp);\n"
    src = _module(code, _object("ext4", pre_patch="lp_pre", post_patch="lp_post"), init)
    assert_findings(src, *(["KLP212"] if fires else []), family="KLP212")


def test_the_same_symbol_looked_up_twice_is_one_cell():
    """A store through one lookup is what a load through another reads: post_patch wrote the
    target's pointer itself (to its own table), so following it reads no uninitialised data."""
    code = r"""
static struct lp_tbl lp_own;
static struct lp_tbl **lp_a, **lp_b;

static int lp_pre(struct klp_object *obj)
{
	lp_a = (struct lp_tbl **)kallsyms_lookup_name("ext4_tbl_ptr");
	lp_b = (struct lp_tbl **)kallsyms_lookup_name("ext4:ext4_tbl_ptr");
	if (!lp_a || !lp_b)
		return -ENOENT;
	return 0;
}

static void lp_post(struct klp_object *obj)
{
	*lp_a = &lp_own;
	(*lp_b)->flags = 1;
}
"""
    assert_findings(_module(code, _object("ext4", pre_patch="lp_pre", post_patch="lp_post")), family="KLP212")


# ------------------------------------------------------------------ relocation tables and unsure globals

TABLE = r"""
#include <linux/kallsyms.h>
struct lp_reloc { const char *name; void **addr; };
extern void lp_take(void *p);
static struct lp_tbl_s { int x; } **lp_tbl_p;
static struct lp_reloc lp_relocs[] = { { "ext4_tbl", (void **)&lp_tbl_p } };

static int lp_resolve(struct lp_reloc *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		*r[i].addr = (void *)kallsyms_lookup_name(r[i].name);
	return 0;
}

static int lp_pre(struct klp_object *obj)
{
	HAND_ON
	return lp_resolve(lp_relocs, 1);
}

static int lp_fixed(void) { return 0; }
static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_fixed }, { } };
static struct klp_object objs[] = { { .name = "ext4", .funcs = funcs,
	.callbacks = { .pre_patch = lp_pre } }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init lp_init(void) { return klp_enable_patch(&patch); }
static void __exit lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
"""


@pytest.mark.parametrize("hand_on, unsure", [
    ("", False),                                    # walked only by the resolver the engine runs
    ("lp_take(lp_relocs);", True),                  # handed to unknown code
    ("lp_take(&lp_relocs[0]);", True),
    ("lp_take(lp_relocs + 0);", True),
])
def test_relocation_table_pointers_are_sure_unless_the_table_escapes(hand_on, unsure):
    code = TABLE.replace("HAND_ON", hand_on)
    assert ("lp_tbl_p" in Statics(model_of(code)).unsure) is unsure


def test_a_table_no_code_names_still_exposes_what_it_points_to():
    """module_param()'s table: the kernel reaches it through a section, sysfs writes through it."""
    code = TABLE.replace("HAND_ON", "").replace("return lp_resolve(lp_relocs, 1);", "return 0;")
    assert "lp_tbl_p" in Statics(model_of(code)).unsure
