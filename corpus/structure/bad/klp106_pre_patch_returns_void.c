// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: pre_patch written as void and squeezed in with a cast; the core reads its "return
 * value" from whatever is in the register. post_unpatch takes an extra argument.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cmdline_show(void *m, void *v)
{
	return 0;
}

static void setup_pre_patch(struct klp_object *obj)
{
	pr_info("preparing %s\n", obj->name ? obj->name : "vmlinux");
}

static void teardown_post_unpatch(struct klp_object *obj, int reason)
{
	pr_info("unpatched (%d)\n", reason);
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = (void *)setup_pre_patch,	// expect KLP106
			.post_unpatch = (void *)teardown_post_unpatch,	// expect KLP106
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
