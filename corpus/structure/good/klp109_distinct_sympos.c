// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: two static functions of the same name told apart by old_sympos. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_show_map_v1(void *m, void *v)
{
	return 0;
}

static int lp_show_map_v2(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "show_map", .new_func = lp_show_map_v1, .old_sympos = 1, },
	{ .old_name = "show_map", .new_func = lp_show_map_v2, .old_sympos = 2, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
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
