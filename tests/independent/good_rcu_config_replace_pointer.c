// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: the replacement reads a tuning record published under RCU.
 * post_patch publishes one (unless one is already there: a disable
 * reversed half-way runs post_patch again), pre_unpatch unpublishes it
 * with rcu_replace_pointer() under the update-side mutex and frees it
 * after a grace period with kfree_rcu(); post_unpatch waits for the grace
 * periods to end, so nothing is pending when the module goes away.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/rcupdate.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct lp_tuning {
	unsigned int max_backlog;
	struct rcu_head rcu;
};

static struct lp_tuning __rcu *lp_tuning;
static DEFINE_MUTEX(lp_tuning_lock);

static int livepatch_netif_rx(void *skb)
{
	struct lp_tuning *t;
	int drop = 0;

	rcu_read_lock();
	t = rcu_dereference(lp_tuning);
	if (t && !t->max_backlog)
		drop = 1;
	rcu_read_unlock();
	return drop;
}

static void lp_post_patch(struct klp_object *obj)
{
	struct lp_tuning *t;

	mutex_lock(&lp_tuning_lock);
	if (rcu_access_pointer(lp_tuning))
		goto out;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto out;
	t->max_backlog = 1000;
	rcu_assign_pointer(lp_tuning, t);
out:
	mutex_unlock(&lp_tuning_lock);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	struct lp_tuning *old;

	mutex_lock(&lp_tuning_lock);
	old = rcu_replace_pointer(lp_tuning, NULL, lockdep_is_held(&lp_tuning_lock));
	mutex_unlock(&lp_tuning_lock);
	if (old)
		kfree_rcu(old, rcu);
}

static void lp_post_unpatch(struct klp_object *obj)
{
	rcu_barrier();
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "netif_rx", .new_func = livepatch_netif_rx },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
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
