// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of
 * klp404_cumulative_cleanup_in_post_unpatch.c: the table is declared as a
 * klp_state and kept in its data. A patch that replaces this one finds it
 * with klp_get_prev_state() and takes it over (this patch does the same with
 * its predecessor's), and the patch that is disabled last frees it.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_NR_BLOCKED	16
#define LP_BLOCKED_STATE	1

static struct klp_patch patch;

static long lp_blkdev_ioctl(void *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static int lp_pre_patch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&patch, LP_BLOCKED_STATE);
	struct klp_state *prev = klp_get_prev_state(LP_BLOCKED_STATE);

	if (!state)
		return -EINVAL;
	if (prev) {
		state->data = prev->data;	/* take the table over */
		return 0;
	}
	state->data = kcalloc(LP_NR_BLOCKED, sizeof(unsigned int), GFP_KERNEL);
	return state->data ? 0 : -ENOMEM;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&patch, LP_BLOCKED_STATE);

	if (!state || klp_get_prev_state(LP_BLOCKED_STATE))
		return;		/* handed back to the patch we replaced */
	kfree(state->data);
	state->data = NULL;
}

static struct klp_func funcs[] = {
	{
		.old_name = "blkdev_ioctl",
		.new_func = lp_blkdev_ioctl,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_state states[] = {
	{
		.id = LP_BLOCKED_STATE,
		.version = 1,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
