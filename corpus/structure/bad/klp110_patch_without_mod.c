// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: the patch forgets .mod, so klp_enable_patch() refuses it. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_devices_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "devinfo_show", .new_func = lp_devices_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ }
};

static struct klp_patch patch = {	// expect KLP110
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
