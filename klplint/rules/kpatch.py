"""KLP5xx: what a source diff alone shows kpatch-build refuses or a livepatch never applies."""
from __future__ import annotations

from klplint.rules.registry import rule

KLP501 = rule(
    id="KLP501", name="kpatch-init-changed", api="B", level="error",
    summary="The diff changes an `__init` function: it ran at boot (or when the module loaded) and its code "
            "is freed; a livepatch cannot change what it did, and kpatch-build refuses the change.",
    why="""A livepatch replaces functions that will be called again. An `__init` function ran once, while the
kernel booted or its module loaded, and the `.init.text` it lived in was freed afterwards: there is no
function left to redirect, and the state it set up is already in place. kpatch-build stops with an
error on a changed `.init.text` section; a hand-written klp_func for it fails to find the symbol.""",
    bad="""static int __init proc_cmdline_init(void)
{
-	proc_create_single("cmdline", 0, NULL, cmdline_proc_show);
+	proc_create_single("cmdline", 0400, NULL, cmdline_proc_show);
	return 0;
}""",
    good="""/* change the state at patch time instead: a post-patch callback does what the new init would */
static void fix_cmdline_mode(patch_object *obj)
{
	...
}
KPATCH_POST_PATCH_CALLBACK(fix_cmdline_mode);""",
    fix="Leave the `__init` function alone and make the change to the running system from a "
        "`KPATCH_POST_PATCH_CALLBACK` (and undo it in a `KPATCH_PRE_UNPATCH_CALLBACK`).")

KLP502 = rule(
    id="KLP502", name="kpatch-global-init-changed", api="B", level="warning",
    summary="The diff changes the initial value of a global variable: the running kernel's variable keeps "
            "its old value, the new initializer never takes effect.",
    why="""A livepatch replaces code, not data. A global variable of the running kernel (or of a loaded module)
was initialised when it was loaded; the patched functions keep using that variable, so a changed
initializer in the diff changes nothing at run time. kpatch-build warns about changed data sections
and refuses most of them.""",
    bad="""-static int max_increment = 16;
+static int max_increment = 32;""",
    good="""static void set_max_increment(patch_object *obj)
{
	max_increment = 32;		/* set the running variable at patch time */
}
KPATCH_POST_PATCH_CALLBACK(set_max_increment);""",
    fix="Keep the initializer and assign the new value from a `KPATCH_POST_PATCH_CALLBACK` (restore it in "
        "a `KPATCH_PRE_UNPATCH_CALLBACK`), or change the code that reads it.")

KLP503 = rule(
    id="KLP503", name="kpatch-struct-layout-changed", api="B", level="error",
    summary="The diff changes the members of a struct: every object of that type already allocated, and "
            "every unpatched function using it, keeps the old layout.",
    why="""Objects of the struct allocated before the patch have the old size and offsets, and every function
the patch does not replace still reads and writes them with the old layout: a new member is read past
the end of old objects, a moved member is read at the wrong offset. kpatch's documented way to add
data to an existing object is a shadow variable (`klp_shadow_alloc`/`klp_shadow_get`).""",
    bad="""struct bictcp {
	u32	cnt;
+	u32	extra;		/* old objects have no room for it */
	u32	last_max_cwnd;
};""",
    good="""#define SV_EXTRA 1
	u32 *extra = klp_shadow_get_or_alloc(ca, SV_EXTRA, sizeof(*extra), GFP_ATOMIC, NULL, NULL);""",
    fix="Keep the struct as it is and attach the new data with a shadow variable (and free it with "
        "`klp_shadow_free` where the object is freed, or `klp_shadow_free_all` on unpatch).")

# These rules need the diff, not only the patch model: klplint/kpatch/check.py compares the pre- and
# post-image of each file and makes their findings.
for _r in (KLP501, KLP502, KLP503):
    _r.produced_by("kpatch/check.py (comparing the pre- and post-image of each changed file)")
