// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (hooks API): the correct twin of
 * klp209_pre_patch_falls_through.c: every path of the patch hook returns a
 * value.
 */
// expect-no-findings
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

static int lp_patch_hook(struct klp_object *obj)
{
	if (lp_mitigation_off) {
		pr_info("mitigation disabled, not patching\n");
		return -EPERM;
	}
	lp_patched++;
	return 0;
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
