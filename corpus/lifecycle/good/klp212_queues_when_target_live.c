// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * The fix for the mlx5 health poller moves its rearm onto the driver's own
 * workqueue. post_patch kicks a first run by queueing the work there -- but
 * mlx5_core creates that workqueue in its init: when the module loads after
 * the patch, post_patch runs while it is COMING, before that: the kick waits
 * for a module that is already live (the driver's own init queues the first
 * run when it loads later).
 *
 * lp_mlx5_health_wq is resolved in mlx5_core through a livepatch relocation;
 * a plain out-of-tree build sees an undefined symbol:
 * kbuild-expect: modpost "lp_mlx5_health_wq"
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include <linux/livepatch.h>

extern struct workqueue_struct *lp_mlx5_health_wq;

static void lp_health_kick(struct work_struct *work)
{
}

static DECLARE_WORK(lp_kick_work, lp_health_kick);

static void lp_poll_health(void *timer) { }

static void lp_post_patch(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_COMING)
		return;
	queue_work(lp_mlx5_health_wq, &lp_kick_work);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	cancel_work_sync(&lp_kick_work);
}

static struct klp_func funcs[] = {
	{ .old_name = "poll_health", .new_func = lp_poll_health },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "mlx5_core",
		.funcs = funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
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
