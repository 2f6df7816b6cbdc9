// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: one delayed work item per patched object polls for stuck
 * requests while the patch is live. post_patch initialises and queues it,
 * post_unpatch cancels it. When the transition is reversed (a task sleeps in
 * the old code, the admin disables the patch) or cancelled, post_patch never
 * ran for that object, but post_unpatch still does: it cancels a work item
 * that is still all zero, as C leaves a static, and __flush_work() warns.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>
#include <linux/jiffies.h>

enum { POLL_VMLINUX, POLL_BTRFS, POLL_MAX };

static struct delayed_work stuck_poll[POLL_MAX];

static void stuck_poll_fn(struct work_struct *work)
{
}

static int poll_index(struct klp_object *obj)
{
	return obj->name ? POLL_BTRFS : POLL_VMLINUX;
}

static void poll_start(struct klp_object *obj)
{
	struct delayed_work *dw = &stuck_poll[poll_index(obj)];

	INIT_DELAYED_WORK(dw, stuck_poll_fn);
	schedule_delayed_work(dw, 5 * HZ);
}

static void poll_stop(struct klp_object *obj)
{
	cancel_delayed_work_sync(&stuck_poll[poll_index(obj)]); // expect KLP206
}

static int stuck_blk_mq_timeout(void *rq)
{
	return 0;
}

static int stuck_btrfs_sync_fs(void *sb, int wait)
{
	return 0;
}

static struct klp_func vm_funcs[] = {
	{ .old_name = "blk_mq_rq_timed_out", .new_func = stuck_blk_mq_timeout },
	{ }
};

static struct klp_func btrfs_funcs[] = {
	{ .old_name = "btrfs_sync_fs", .new_func = stuck_btrfs_sync_fs },
	{ }
};

static struct klp_object stuck_objs[] = {
	{
		.funcs = vm_funcs,
		.callbacks = { .post_patch = poll_start, .post_unpatch = poll_stop },
	}, {
		.name = "btrfs",
		.funcs = btrfs_funcs,
		.callbacks = { .post_patch = poll_start, .post_unpatch = poll_stop },
	},
	{ }
};

static struct klp_patch stuck_patch = {
	.mod = THIS_MODULE,
	.objs = stuck_objs,
};

static int __init stuck_init(void)
{
	return klp_enable_patch(&stuck_patch);
}

static void __exit stuck_exit(void)
{
}

module_init(stuck_init);
module_exit(stuck_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
