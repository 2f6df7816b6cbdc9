// SPDX-License-Identifier: GPL-2.0
/*
 * pre_patch queues a one-shot delayed work that audits the patched
 * subsystem a few seconds later, and pre_unpatch cancels it. When the
 * enable transition is reversed (the administrator writes 0 to `enabled`
 * while tasks are still switching), the core skips post_patch and
 * pre_unpatch and runs only post_unpatch, which does not cancel: the
 * work is still queued when the livepatch module is removed, and runs
 * freed module text.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>
#include <linux/jiffies.h>

static void lp_audit(struct work_struct *work)
{
	pr_info("livepatch: io_uring audit done\n");
}

static DECLARE_DELAYED_WORK(lp_audit_work, lp_audit);

static int livepatch_io_uring_setup(unsigned int entries, void *params)
{
	return -ENOSYS;
}

static int lp_pre_patch(struct klp_object *obj)
{
	schedule_delayed_work(&lp_audit_work, 5 * HZ); // expect KLP204
	return 0;
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	cancel_delayed_work_sync(&lp_audit_work);
}

static void lp_post_unpatch(struct klp_object *obj)
{
	pr_info("livepatch: io_uring_setup restored\n");
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "io_uring_setup",
		.new_func = livepatch_io_uring_setup,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
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
