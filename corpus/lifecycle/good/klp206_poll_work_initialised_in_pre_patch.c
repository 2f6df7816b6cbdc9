// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: one delayed work item per patched object polls for stuck
 * requests while the patch is live. pre_patch initialises it, post_patch
 * queues it, post_unpatch cancels it: post_unpatch runs only after the
 * object's pre_patch succeeded, so even after a reversed or cancelled
 * transition (no post_patch) it cancels an initialised, idle work item.
 */
// expect-no-findings
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

static int poll_prepare(struct klp_object *obj)
{
	INIT_DELAYED_WORK(&stuck_poll[poll_index(obj)], stuck_poll_fn);
	return 0;
}

static void poll_start(struct klp_object *obj)
{
	schedule_delayed_work(&stuck_poll[poll_index(obj)], 5 * HZ);
}

static void poll_stop(struct klp_object *obj)
{
	cancel_delayed_work_sync(&stuck_poll[poll_index(obj)]);
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
		.callbacks = { .pre_patch = poll_prepare, .post_patch = poll_start,
			       .post_unpatch = poll_stop },
	}, {
		.name = "btrfs",
		.funcs = btrfs_funcs,
		.callbacks = { .pre_patch = poll_prepare, .post_patch = poll_start,
			       .post_unpatch = poll_stop },
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
