// SPDX-License-Identifier: GPL-2.0
/*
 * A patch that keeps a system state (a tightened mapping size limit) at
 * version 2. post_patch defers the "did an older patch already tighten it"
 * check to a work item, to keep the transition short. The work runs after
 * the transition has completed, when klp_get_prev_state() has no patch in
 * transition to look behind: it warns and returns NULL, so the version-1
 * upgrade path never runs. The work itself is cancelled where it should be.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>
#include <linux/fs.h>

#define LP_MAP_COUNT_STATE	0x6d63
#define LP_MAP_COUNT_VERSION	2

static int lp_map_limit = 65530;

static void lp_check_prev(struct work_struct *work)
{
	struct klp_state *prev = klp_get_prev_state(LP_MAP_COUNT_STATE); // expect KLP403

	if (prev && prev->version < LP_MAP_COUNT_VERSION)
		pr_info("livepatch: upgrading map count state from version %u\n", prev->version);
}

static DECLARE_WORK(lp_check_work, lp_check_prev);

static unsigned long livepatch_get_unmapped_area(struct file *file, unsigned long addr,
						 unsigned long len, unsigned long pgoff,
						 unsigned long flags)
{
	if (len > (unsigned long)READ_ONCE(lp_map_limit) << 12)
		return -ENOMEM;
	return addr;
}

static void lp_post_patch(struct klp_object *obj)
{
	schedule_work(&lp_check_work);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	cancel_work_sync(&lp_check_work);
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "get_unmapped_area", .new_func = livepatch_get_unmapped_area },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
		},
	},
	{ }
};

static struct klp_state lp_states[] = {
	{ .id = LP_MAP_COUNT_STATE, .version = LP_MAP_COUNT_VERSION },
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
	.states = lp_states,
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
