// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp204_notifier_per_module_load.c:
 * pre_patch takes the statistics and the notifier, post_unpatch (which the
 * core runs exactly when pre_patch succeeded, at disable or when bonding
 * unloads) gives them back and clears the pointer. Each load of bonding
 * gets its own pair.
 */
// expect-no-findings
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

static int lp_pre_patch_bonding(struct klp_object *obj)
{
	int ret;

	lp_stats = kzalloc(sizeof(*lp_stats), GFP_KERNEL);
	if (!lp_stats)
		return -ENOMEM;
	ret = register_module_notifier(&lp_module_nb);
	if (ret) {
		kfree(lp_stats);
		lp_stats = NULL;
		return ret;
	}
	return 0;
}

static void lp_post_unpatch_bonding(struct klp_object *obj)
{
	unregister_module_notifier(&lp_module_nb);
	kfree(lp_stats);
	lp_stats = NULL;
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
			.pre_patch = lp_pre_patch_bonding,
			.post_unpatch = lp_post_unpatch_bonding,
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
