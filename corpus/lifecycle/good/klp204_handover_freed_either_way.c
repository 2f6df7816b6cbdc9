// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * A cumulative patch takes over the quota table of the patch it replaces.
 * When it finds that patch's state, pre_patch also allocates a scratch
 * buffer for the handover. post_unpatch frees it whatever klp_get_prev_state()
 * says then: once the replacing transition has completed, the replaced
 * patches are gone and it returns NULL.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

#define QUOTA_STATE	7

static void *quota_handover;

static int lp_dquot_acquire(void *dquot) { return 0; }

static int quota_pre_patch(struct klp_object *obj)
{
	struct klp_state *prev = klp_get_prev_state(QUOTA_STATE);

	if (!prev)
		return 0;
	quota_handover = kmalloc(4096, GFP_KERNEL);
	return quota_handover ? 0 : -ENOMEM;
}

static void quota_post_unpatch(struct klp_object *obj)
{
	kfree(quota_handover);
	quota_handover = NULL;
}

static struct klp_func funcs[] = {
	{ .old_name = "dquot_acquire", .new_func = lp_dquot_acquire },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = quota_pre_patch,
			.post_unpatch = quota_post_unpatch,
		},
	},
	{ }
};

static struct klp_state states[] = {
	{ .id = QUOTA_STATE, .version = 1 },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int __init quota_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit quota_exit(void)
{
}

module_init(quota_init);
module_exit(quota_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
