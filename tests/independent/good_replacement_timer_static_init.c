// SPDX-License-Identifier: GPL-2.0
/*
 * The twin of replacement_queues_work_cancelled_early.c with a timer and a
 * work item: the work item is set up by its initializer (DECLARE_WORK),
 * the timer in pre_patch; the replacement arms both; post_unpatch, once no
 * task runs the replacement any more, stops the timer and cancels the
 * work, and module_exit makes sure again.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

static struct timer_list lpt_watchdog;

static void lpt_flush_fn(struct work_struct *work)
{
	pr_debug("flushing\n");
}

static DECLARE_WORK(lpt_flush, lpt_flush_fn);

static void lpt_watchdog_fn(struct timer_list *t)
{
	schedule_work(&lpt_flush);
}

static int lpt_blk_mq_run_hw_queue(void *hctx, bool async)
{
	mod_timer(&lpt_watchdog, jiffies + HZ);
	schedule_work(&lpt_flush);
	return 0;
}

static int lpt_pre_patch(struct klp_object *obj)
{
	timer_setup(&lpt_watchdog, lpt_watchdog_fn, 0);
	return 0;
}

static void lpt_post_unpatch(struct klp_object *obj)
{
	del_timer_sync(&lpt_watchdog);
	cancel_work_sync(&lpt_flush);
}

static struct klp_func lpt_funcs[] = {
	{ .old_name = "blk_mq_run_hw_queue", .new_func = lpt_blk_mq_run_hw_queue },
	{ }
};

static struct klp_object lpt_objs[] = {
	{
		.funcs = lpt_funcs,
		.callbacks = {
			.pre_patch = lpt_pre_patch,
			.post_unpatch = lpt_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objs,
};

static int __init lpt_init(void)
{
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_exit(void)
{
	cancel_work_sync(&lpt_flush);
}

module_init(lpt_init);
module_exit(lpt_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
