// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * klplint corpus: the same RCU-protected record, unpublished and freed
 * after a grace period with kfree_rcu() in pre_unpatch, and the owning
 * pointer cleared there: module_exit's kfree() of it frees nothing twice.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct lp_limits {
	unsigned int max_conn;
	struct rcu_head rcu;
};

static struct lp_limits __rcu *lp_limits;
static struct lp_limits *lp_limits_owned;

static int livepatch_inet_csk_accept_check(void *sk)
{
	struct lp_limits *l;
	int ok = 1;

	rcu_read_lock();
	l = rcu_dereference(lp_limits);
	if (l && !l->max_conn)
		ok = 0;
	rcu_read_unlock();
	return ok;
}

static void lp_post_patch(struct klp_object *obj)
{
	struct lp_limits *l;

	if (lp_limits_owned)
		return;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return;
	l->max_conn = 4096;
	lp_limits_owned = l;
	rcu_assign_pointer(lp_limits, l);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	struct lp_limits *old = lp_limits_owned;

	RCU_INIT_POINTER(lp_limits, NULL);
	lp_limits_owned = NULL;
	if (old)
		kfree_rcu(old, rcu);
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "inet_csk_accept_check", .new_func = livepatch_inet_csk_accept_check },
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
	kfree(lp_limits_owned);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
