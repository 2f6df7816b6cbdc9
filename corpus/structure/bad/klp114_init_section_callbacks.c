// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: setup code marked __init because "it only runs at load", but the core calls it again
 * when the target module loads later; the replacement function is __exit by copy-paste.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int enabled_objects;

static int __exit lp_vmstat_show(void *m, void *arg)
{
	return 0;
}

static int __init count_pre_patch(struct klp_object *obj)
{
	enabled_objects++;
	return 0;
}

static void count_post_unpatch(struct klp_object *obj)
{
	enabled_objects--;
}

static struct klp_func funcs[] = {
	{ .old_name = "vmstat_show", .new_func = lp_vmstat_show, },	// expect KLP114
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = count_pre_patch,	// expect KLP114
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
