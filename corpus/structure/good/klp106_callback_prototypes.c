// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: callbacks with exactly the prototypes the core calls through. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cmdline_show(void *m, void *v)
{
	return 0;
}

static int setup_pre_patch(struct klp_object *obj)
{
	pr_info("preparing %s\n", obj->name ? obj->name : "vmlinux");
	return 0;
}

static void teardown_post_unpatch(struct klp_object *obj)
{
	pr_info("unpatched\n");
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = setup_pre_patch,
			.post_unpatch = teardown_post_unpatch,
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
