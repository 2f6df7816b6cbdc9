// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: a self-rearming delayed work reports how often the patched path
 * ran. The work is statically initialised, started in post_patch and
 * stopped in pre_unpatch, the callback the core pairs with post_patch; the
 * stop flag keeps the work from queueing itself again while it is being
 * cancelled. post_unpatch cancels once more for the disable that was
 * reversed and then disabled again: cancelling an idle work is harmless.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>

#define LP_REPORT_PERIOD	(60 * HZ)

static atomic_long_t lp_calls = ATOMIC_LONG_INIT(0);
static bool lp_stopping;

static void lp_report(struct work_struct *work);
static DECLARE_DELAYED_WORK(lp_report_work, lp_report);

static void lp_report(struct work_struct *work)
{
	pr_info("livepatch: vfs_fadvise patched path taken %ld times\n",
		atomic_long_read(&lp_calls));
	if (!READ_ONCE(lp_stopping))
		schedule_delayed_work(&lp_report_work, LP_REPORT_PERIOD);
}

static int livepatch_generic_fadvise(void *file, long long offset, long long len, int advice)
{
	atomic_long_inc(&lp_calls);
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	WRITE_ONCE(lp_stopping, false);
	schedule_delayed_work(&lp_report_work, LP_REPORT_PERIOD);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	WRITE_ONCE(lp_stopping, true);
	cancel_delayed_work_sync(&lp_report_work);
}

static void lp_post_unpatch(struct klp_object *obj)
{
	WRITE_ONCE(lp_stopping, true);
	cancel_delayed_work_sync(&lp_report_work);
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "generic_fadvise",
		.new_func = livepatch_generic_fadvise,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
