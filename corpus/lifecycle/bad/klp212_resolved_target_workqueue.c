// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus: the fix for the sunrpc task reaper kicks a first run from
 * post_patch on sunrpc's own workqueue. The workqueue pointer is a static of
 * sunrpc, so its address is looked up by name in sunrpc's pre_patch. But
 * sunrpc creates the workqueue in its init: when sunrpc loads after the
 * patch, pre_patch and post_patch run while it is COMING, the pointer behind
 * the resolved address is still NULL, and queue_work() reads a workqueue that
 * does not exist yet.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kallsyms.h>
#include <linux/workqueue.h>
#include <linux/livepatch.h>

static struct workqueue_struct **lp_rpciod_workqueue;

static void lp_reap_kick(struct work_struct *work)
{
}

static DECLARE_WORK(lp_reap_work, lp_reap_kick);

static void lp_rpc_release_task(void *task) { }

static int lp_sunrpc_pre_patch(struct klp_object *obj)
{
	lp_rpciod_workqueue = (struct workqueue_struct **)kallsyms_lookup_name("rpciod_workqueue");
	if (!lp_rpciod_workqueue)
		return -ENOENT;
	return 0;
}

static void lp_sunrpc_post_patch(struct klp_object *obj)
{
	queue_work(*lp_rpciod_workqueue, &lp_reap_work); // expect KLP212
}

static void lp_sunrpc_pre_unpatch(struct klp_object *obj)
{
	cancel_work_sync(&lp_reap_work);
}

static void lp_sunrpc_post_unpatch(struct klp_object *obj)
{
	lp_rpciod_workqueue = NULL;
}

static struct klp_func funcs[] = {
	{ .old_name = "rpc_release_task", .new_func = lp_rpc_release_task },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "sunrpc",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_sunrpc_pre_patch,
			.post_patch = lp_sunrpc_post_patch,
			.pre_unpatch = lp_sunrpc_pre_unpatch,
			.post_unpatch = lp_sunrpc_post_unpatch,
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
