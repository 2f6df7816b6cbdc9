// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API): the replacement of a network driver's
 * reset handler defers the reset to a workqueue of the livepatch's own.
 * post_patch creates the workqueue and pre_unpatch destroys it, so the
 * pairing looks right; but a task runs the new function from the moment it
 * switches, at the start of the transition, when the workqueue does not
 * exist yet, and until it switches back, after pre_unpatch destroyed it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

static struct workqueue_struct *lpq_wq;

static void lpq_reset_fn(struct work_struct *work)
{
	pr_info("deferred reset\n");
}

static DECLARE_WORK(lpq_reset_work, lpq_reset_fn);

static void lpq_e1000_reset_task(struct work_struct *work)
{
	queue_work(lpq_wq, &lpq_reset_work); // expect KLP216
}

static void lpq_post_patch(struct klp_object *obj)
{
	lpq_wq = alloc_workqueue("lp_e1000", WQ_UNBOUND, 1);
}

static void lpq_pre_unpatch(struct klp_object *obj)
{
	if (lpq_wq) {
		destroy_workqueue(lpq_wq);
		lpq_wq = NULL;
	}
}

static struct klp_func lpq_funcs[] = {
	{ .old_name = "e1000_reset_task", .new_func = lpq_e1000_reset_task },
	{ }
};

static struct klp_object lpq_objs[] = {
	{
		.name = "e1000",
		.funcs = lpq_funcs,
		.callbacks = {
			.post_patch = lpq_post_patch,
			.pre_unpatch = lpq_pre_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpq_patch = {
	.mod = THIS_MODULE,
	.objs = lpq_objs,
};

static int __init lpq_init(void)
{
	return klp_enable_patch(&lpq_patch);
}

static void __exit lpq_exit(void)
{
}

module_init(lpq_init);
module_exit(lpq_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
