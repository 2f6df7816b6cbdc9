// SPDX-License-Identifier: GPL-2.0
/*
 * A cumulative patch with one declared state. The replacement asks, through
 * a helper, whether an older patch had already tuned the sysctl, with
 * klp_get_prev_state(): outside a transition there is no previous patch, so
 * it always says no (and warns). post_patch looks the state up with the id
 * of a state an older patch used, which this patch does not declare.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LP_SOMAXCONN_STATE	3
#define LP_OLD_BACKLOG_STATE	2	/* what livepatch v1 declared */

static int lp_backlog_limit = 4096;

static struct klp_patch lp_patch;

static bool lp_tuned_before(void)
{
	return klp_get_prev_state(LP_SOMAXCONN_STATE) != NULL; // expect KLP403
}

static int lp_listen_backlog(int requested)
{
	if (lp_tuned_before())
		return requested;
	return min(requested, lp_backlog_limit);
}

static void lp_post_patch(struct klp_object *obj)
{
	struct klp_state *old = klp_get_state(&lp_patch, LP_OLD_BACKLOG_STATE); // expect KLP401

	if (old)
		pr_info("livepatch: taking over backlog v%u\n", old->version);
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "__sys_listen_backlog", .new_func = lp_listen_backlog },
	{ }
};

static struct klp_object lp_objs[] = {
	{ .funcs = lp_funcs, .callbacks = { .post_patch = lp_post_patch } },
	{ }
};

static struct klp_state lp_states[] = {
	{ .id = LP_SOMAXCONN_STATE, .version = 1 },
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
	.states = lp_states,
	.replace = true,
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
