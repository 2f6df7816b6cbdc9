// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * A deferred rescan context embeds its work item. post_unpatch hands the
 * work item to a release helper that cancels the work first, then finds the
 * context with container_of() and frees it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/container_of.h>
#include <linux/workqueue.h>
#include <linux/livepatch.h>

struct rescan_ctx {
	unsigned long generation;
	struct work_struct work;
};

static struct rescan_ctx *rescan;

static void rescan_fn(struct work_struct *work)
{
	struct rescan_ctx *ctx = container_of(work, struct rescan_ctx, work);

	ctx->generation++;
}

static void rescan_release(struct work_struct *work)
{
	cancel_work_sync(work);
	kfree(container_of(work, struct rescan_ctx, work));
}

static int rescan_pre_patch(struct klp_object *obj)
{
	rescan = kzalloc(sizeof(*rescan), GFP_KERNEL);
	if (!rescan)
		return -ENOMEM;
	INIT_WORK(&rescan->work, rescan_fn);
	schedule_work(&rescan->work);
	return 0;
}

static void rescan_post_unpatch(struct klp_object *obj)
{
	rescan_release(&rescan->work);
	rescan = NULL;
}

static int lp_scsi_scan_host(void *shost) { return 0; }

static struct klp_func funcs[] = {
	{ .old_name = "scsi_scan_host", .new_func = lp_scsi_scan_host },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = rescan_pre_patch,
			.post_unpatch = rescan_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init rescan_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit rescan_exit(void)
{
}

module_init(rescan_init);
module_exit(rescan_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
