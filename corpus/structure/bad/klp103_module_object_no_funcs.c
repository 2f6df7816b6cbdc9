// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: a module object with only a post_patch callback and no funcs: -EINVAL at enable. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cmdline_show(void *m, void *v)
{
	return 0;
}

static void xfs_post_patch(struct klp_object *obj)
{
	pr_info("xfs is patched\n");
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs, },
	{
		.name = "xfs",	// expect KLP103
		.callbacks = { .post_patch = xfs_post_patch, },
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
