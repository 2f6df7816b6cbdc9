// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: one klp_func lost its .new_func in a merge, another entry follows an empty one. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_version_show(void *m, void *v)
{
	return 0;
}

static int lp_stat_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "version_proc_show", .new_func = lp_version_show, },
	{ .old_name = "show_stat", },	// expect KLP105
	{ }
};

static struct klp_func late_funcs[] = {
	{ .old_name = "version_proc_show", .new_func = lp_version_show, },
	{ },	// expect KLP105
	{ .old_name = "show_stat", .new_func = lp_stat_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ .name = "proc_extra", .funcs = late_funcs, },
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
