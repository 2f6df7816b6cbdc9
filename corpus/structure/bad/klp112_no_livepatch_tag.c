// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: a module built as a livepatch but without the livepatch modinfo tag. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_partitions_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "show_partition", .new_func = lp_partitions_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ }
};

static struct klp_patch patch = {	// expect KLP112
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("klplint corpus");
