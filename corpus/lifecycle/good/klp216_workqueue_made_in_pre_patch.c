// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API): the twin of
 * klp216_workqueue_made_in_post_patch.c. The workqueue exists before any
 * task can run the replacement (pre_patch) and is destroyed once none can
 * (post_unpatch); a flag that post_patch raises and pre_unpatch lowers is
 * only tested by the replacement, never dereferenced.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

static struct workqueue_struct *lpq_wq;
static bool lpq_verbose;

static void lpq_reset_fn(struct work_struct *work)
{
	pr_info("deferred reset\n");
}

static DECLARE_WORK(lpq_reset_work, lpq_reset_fn);

static void lpq_e1000_reset_task(struct work_struct *work)
{
	if (lpq_verbose)
		pr_info("deferring the reset\n");
	queue_work(lpq_wq, &lpq_reset_work);
}

static int lpq_pre_patch(struct klp_object *obj)
{
	lpq_wq = alloc_workqueue("lp_e1000", WQ_UNBOUND, 1);
	return lpq_wq ? 0 : -ENOMEM;
}

static void lpq_post_patch(struct klp_object *obj)
{
	lpq_verbose = true;
}

static void lpq_pre_unpatch(struct klp_object *obj)
{
	lpq_verbose = false;
}

static void lpq_post_unpatch(struct klp_object *obj)
{
	destroy_workqueue(lpq_wq);
	lpq_wq = NULL;
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
			.pre_patch = lpq_pre_patch,
			.post_patch = lpq_post_patch,
			.pre_unpatch = lpq_pre_unpatch,
			.post_unpatch = lpq_post_unpatch,
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
