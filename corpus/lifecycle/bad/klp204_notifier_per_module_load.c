// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the bonding fix needs per-load statistics and a module
 * notifier (to see bonding's slave drivers come and go) while the bonding
 * module is present. post_patch takes both, and
 * only module_exit gives them back: every time bonding is loaded again while
 * the patch is enabled, post_patch registers the notifier a second time and
 * allocates new statistics over the old ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

struct lp_bond_stats {
	unsigned long failovers;
};

static struct lp_bond_stats *lp_stats;

static int lp_module_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	if (event == MODULE_STATE_GOING && lp_stats)
		lp_stats->failovers++;
	return NOTIFY_DONE;
}

static struct notifier_block lp_module_nb = {
	.notifier_call = lp_module_event,
};

static int lp_bond_check_dev_link(void *bond, void *slave_dev, int reporting)
{
	return 0;
}

static void lp_post_patch_bonding(struct klp_object *obj)
{
	lp_stats = kzalloc(sizeof(*lp_stats), GFP_KERNEL); // expect KLP204
	if (register_module_notifier(&lp_module_nb)) // expect KLP204
		pr_warn("no failover statistics\n");
}

static struct klp_func bonding_funcs[] = {
	{
		.old_name = "bond_check_dev_link",
		.new_func = lp_bond_check_dev_link,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "bonding",
		.funcs = bonding_funcs,
		.callbacks = {
			.post_patch = lp_post_patch_bonding,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void lp_exit(void)
{
	unregister_module_notifier(&lp_module_nb);
	kfree(lp_stats);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
