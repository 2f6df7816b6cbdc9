// SPDX-License-Identifier: GPL-2.0
/*
 * A per-patch statistics block: pre_patch allocates it and publishes it with
 * WRITE_ONCE(), the replacement function only reads it with READ_ONCE().
 * post_unpatch frees it and module_exit frees it again: the pointer is
 * never cleared after the first kfree().
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/compiler.h>
#include <linux/livepatch.h>

struct lp_stats {
	unsigned long hits;
};

static struct lp_stats *lp_stats;

static int lp_do_sysinfo(void *info)
{
	struct lp_stats *st = READ_ONCE(lp_stats);

	if (st)
		st->hits++;
	return 0;
}

static int lp_pre_patch(struct klp_object *obj)
{
	struct lp_stats *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	WRITE_ONCE(lp_stats, st);
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kfree(READ_ONCE(lp_stats));
}

static struct klp_func funcs[] = {
	{ .old_name = "do_sysinfo", .new_func = lp_do_sysinfo },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
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

static void __exit lp_exit(void)
{
	kfree(lp_stats); // expect KLP205
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
