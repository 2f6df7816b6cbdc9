// SPDX-License-Identifier: GPL-2.0
/*
 * The replacement filters packets against an RCU-protected configuration and
 * a list of rules, read under rcu_read_lock() with rcu_dereference() and
 * list_for_each_entry_rcu(). pre_patch publishes a new configuration with
 * rcu_assign_pointer(); post_unpatch unpublishes it and waits for readers,
 * but never frees it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/livepatch.h>

struct lp_rule {
	struct list_head node;
	unsigned int port;
};

struct lp_config {
	unsigned int verdict;
};

static LIST_HEAD(lp_rules);
static struct lp_config __rcu *lp_config;

static int lp_filter_port(unsigned int port)
{
	struct lp_config *cfg;
	struct lp_rule *rule;
	int verdict = 0;

	rcu_read_lock();
	cfg = rcu_dereference(lp_config);
	list_for_each_entry_rcu(rule, &lp_rules, node) {
		if (rule->port == port && cfg)
			verdict = cfg->verdict;
	}
	rcu_read_unlock();
	return verdict;
}

static int lp_pre_patch(struct klp_object *obj)
{
	struct lp_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL); // expect KLP204

	if (!cfg)
		return -ENOMEM;
	cfg->verdict = 1;
	rcu_assign_pointer(lp_config, cfg);
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	RCU_INIT_POINTER(lp_config, NULL);
	synchronize_rcu();
}

static struct klp_func funcs[] = {
	{ .old_name = "nf_filter_port", .new_func = lp_filter_port },
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

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
