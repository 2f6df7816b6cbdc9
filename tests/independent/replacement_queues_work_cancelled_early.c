// SPDX-License-Identifier: GPL-2.0
/*
 * The replacement of a memory-pressure hook defers a slow recount to a
 * delayed work item. post_patch initialises the item and pre_unpatch
 * cancels it. Both are on the wrong side of the window in which tasks run
 * the new function: the first tasks to switch queue an item nobody has
 * initialised yet, and tasks not yet switched back queue it again after
 * the cancel, so that it runs after the livepatch module is gone.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

static struct delayed_work lpw_recount;

static void lpw_recount_fn(struct work_struct *work)
{
	pr_debug("recounting\n");
}

static void lpw_vmpressure(unsigned int gfp, void *memcg, bool tree, unsigned long scanned,
			   unsigned long reclaimed)
{
	schedule_delayed_work(&lpw_recount, HZ); // expect KLP216
}

static void lpw_post_patch(struct klp_object *obj)
{
	INIT_DELAYED_WORK(&lpw_recount, lpw_recount_fn);
}

static void lpw_pre_unpatch(struct klp_object *obj)
{
	cancel_delayed_work_sync(&lpw_recount);
}

static struct klp_func lpw_funcs[] = {
	{ .old_name = "vmpressure", .new_func = lpw_vmpressure },
	{ }
};

static struct klp_object lpw_objs[] = {
	{
		.funcs = lpw_funcs,
		.callbacks = {
			.post_patch = lpw_post_patch,
			.pre_unpatch = lpw_pre_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpw_patch = {
	.mod = THIS_MODULE,
	.objs = lpw_objs,
};

static int __init lpw_init(void)
{
	return klp_enable_patch(&lpw_patch);
}

static void __exit lpw_exit(void)
{
}

module_init(lpw_init);
module_exit(lpw_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
