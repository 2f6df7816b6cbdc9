// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (hooks API): the patch hook refuses kernels booted with the
 * mitigation disabled (the core only logs that), but the author forgot the
 * return at the end of the normal path: the core reads whatever is left in
 * the return register and may log a bogus failure.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static bool lp_mitigation_off;
module_param(lp_mitigation_off, bool, 0444);
MODULE_PARM_DESC(lp_mitigation_off, "the mitigation was disabled at boot");

static unsigned long lp_patched;

static int lp_spectre_v2_check(void *arg)
{
	return 0;
}

static int lp_patch_hook(struct klp_object *obj) // expect KLP209
{
	if (lp_mitigation_off) {
		pr_info("mitigation disabled, not patching\n");
		return -EPERM;
	}
	lp_patched++;
}

static struct klp_func funcs[] = {
	{
		.old_name = "spectre_v2_check",
		.new_func = lp_spectre_v2_check,
	},
	{ }
};

static struct klp_hook patch_hooks[] = {
	{ .hook = lp_patch_hook },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.patch_hooks = patch_hooks,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lp_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
