// SPDX-License-Identifier: GPL-2.0
/*
 * A cumulative (atomic replace) livepatch that owns one system state: a
 * buffer holding the original value of a tunable it overrides. A fresh
 * install allocates the buffer in pre_patch and saves the tunable in
 * post_patch; an upgrade over an older patch with the same state takes
 * the predecessor's buffer over instead (the replaced patch runs none of
 * its callbacks, so it never frees it). Disabling restores the tunable in
 * pre_unpatch and frees the buffer in post_unpatch.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LPC_STATE_SWAPPINESS	1

extern int vm_swappiness;

static struct klp_patch lpc_patch;

static int lpc_pre_patch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&lpc_patch, LPC_STATE_SWAPPINESS);
	struct klp_state *prev;

	if (!state)
		return -EINVAL;
	prev = klp_get_prev_state(LPC_STATE_SWAPPINESS);
	if (prev) {
		state->data = prev->data;
		return 0;
	}
	state->data = kzalloc(sizeof(int), GFP_KERNEL);
	return state->data ? 0 : -ENOMEM;
}

static void lpc_post_patch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&lpc_patch, LPC_STATE_SWAPPINESS);

	if (!state || klp_get_prev_state(LPC_STATE_SWAPPINESS))
		return;
	*(int *)state->data = vm_swappiness;
	vm_swappiness = 10;
}

static void lpc_pre_unpatch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&lpc_patch, LPC_STATE_SWAPPINESS);

	if (state)
		vm_swappiness = *(int *)state->data;
}

static void lpc_post_unpatch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&lpc_patch, LPC_STATE_SWAPPINESS);

	if (!state)
		return;
	kfree(state->data);
	state->data = NULL;
}

static unsigned long lpc_shrink_lruvec(void *lruvec, void *sc)
{
	return 0;
}

static struct klp_func lpc_funcs[] = {
	{ .old_name = "shrink_lruvec", .new_func = lpc_shrink_lruvec },
	{ }
};

static struct klp_object lpc_objs[] = {
	{
		.funcs = lpc_funcs,
		.callbacks = {
			.pre_patch = lpc_pre_patch,
			.post_patch = lpc_post_patch,
			.pre_unpatch = lpc_pre_unpatch,
			.post_unpatch = lpc_post_unpatch,
		},
	},
	{ }
};

static struct klp_state lpc_states[] = {
	{ .id = LPC_STATE_SWAPPINESS, .version = 2 },
	{ }
};

static struct klp_patch lpc_patch = {
	.mod = THIS_MODULE,
	.objs = lpc_objs,
	.states = lpc_states,
	.replace = true,
};

static int __init lpc_init(void)
{
	return klp_enable_patch(&lpc_patch);
}

static void __exit lpc_exit(void)
{
}

module_init(lpc_init);
module_exit(lpc_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
