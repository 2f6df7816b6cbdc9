// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "lp_common_start"
// kbuild-expect: modpost "lp_common_stop"
/*
 * klplint corpus: module_init hands the patch to a shared helper built from
 * another file of the livepatch module, which enables it. klplint cannot see
 * that helper: in no scenario does module_init enable the patch, so no
 * callback is run. Rather than report a clean module, the engine says that
 * nothing after the load was checked.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

/* lp_common.c */
int lp_common_start(struct klp_patch *patch, const char *tag);
void lp_common_stop(struct klp_patch *patch);

static char *quirk_table;

static int quirk_pre(struct klp_object *obj)
{
	quirk_table = kzalloc(64, GFP_KERNEL);
	return quirk_table ? 0 : -ENOMEM;
}

static void quirk_post_unpatch(struct klp_object *obj)
{
	kfree(quirk_table);
	quirk_table = NULL;
}

static int quirk_cmdline_show(void *m, void *v)
{
	return 0;
}

static struct klp_func quirk_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = quirk_cmdline_show },
	{ }
};

static struct klp_object quirk_objs[] = {
	{
		.funcs = quirk_funcs,
		.callbacks = { .pre_patch = quirk_pre, .post_unpatch = quirk_post_unpatch },
	},
	{ }
};

static struct klp_patch quirk_patch = {
	.mod = THIS_MODULE,
	.objs = quirk_objs,
};

static int __init quirk_init(void) // expect KLP213
{
	return lp_common_start(&quirk_patch, "quirk");
}

static void __exit quirk_exit(void)
{
	lp_common_stop(&quirk_patch);
}

module_init(quirk_init);
module_exit(quirk_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
