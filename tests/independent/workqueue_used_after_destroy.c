// SPDX-License-Identifier: GPL-2.0
/*
 * A module target gets a private workqueue while it is patched: created in
 * pre_patch for the module, destroyed in post_unpatch. The replacement queues
 * work, and pre_unpatch flushes it -- but pre_unpatch also runs for a module
 * that loads and unloads again after the workqueue was destroyed on a
 * previous unload, because the pointer is never cleared.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

static struct workqueue_struct *lp_wq;
static struct work_struct lp_work;

static void lp_work_fn(struct work_struct *w)
{
}

static int lp_pre_patch(struct klp_object *obj)
{
	if (!lp_wq) {
		lp_wq = alloc_workqueue("lp_e1000e", WQ_UNBOUND, 1);
		if (!lp_wq)
			return -ENOMEM;
	}
	INIT_WORK(&lp_work, lp_work_fn);
	return 0;
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	flush_workqueue(lp_wq); // expect KLP207
}

static void lp_post_unpatch(struct klp_object *obj)
{
	destroy_workqueue(lp_wq); // expect KLP205
}

static int lp_e1000_watchdog(void *adapter)
{
	if (lp_wq)
		queue_work(lp_wq, &lp_work);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "e1000_watchdog", .new_func = lp_e1000_watchdog },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "e1000e",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.pre_unpatch = lp_pre_unpatch,
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
