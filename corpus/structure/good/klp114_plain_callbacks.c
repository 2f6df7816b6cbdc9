// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: callbacks and replacement functions stay in .text; only module_init is __init. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int enabled_objects;

static int lp_vmstat_show(void *m, void *arg)
{
	return 0;
}

static int count_pre_patch(struct klp_object *obj)
{
	enabled_objects++;
	return 0;
}

static void count_post_unpatch(struct klp_object *obj)
{
	enabled_objects--;
}

static struct klp_func funcs[] = {
	{ .old_name = "vmstat_show", .new_func = lp_vmstat_show, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = count_pre_patch,
			.post_unpatch = count_post_unpatch,
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
