// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks-era livepatch that module_init only registers; the administrator
 * enables, disables and re-enables it through sysfs. Everything an enable
 * sets up is taken down by the matching disable, so each re-enable starts
 * from scratch: the pool and its "built" flag go together in post_unpatch,
 * and the OOM notifier hooked in post_patch is unhooked in pre_unpatch.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/notifier.h>
#include <linux/oom.h>

struct req_pool {
	void *slots[8];
	int used;
};

static struct req_pool *pool;
static int pool_built;
static bool nb_on;

static int lp_oom_event(struct notifier_block *nb, unsigned long ev, void *freed)
{
	return NOTIFY_OK;
}

static struct notifier_block lp_oom_nb = { .notifier_call = lp_oom_event };

static int lp_out_of_memory(void *oc)
{
	return 0;
}

static int pool_get(struct klp_object *obj)
{
	if (pool_built)
		return 0;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	pool_built = 1;
	return 0;
}

static void notifier_on(struct klp_object *obj)
{
	pool->used = 0;
	nb_on = !register_oom_notifier(&lp_oom_nb);
}

static void notifier_off(struct klp_object *obj)
{
	if (nb_on)
		unregister_oom_notifier(&lp_oom_nb);
	nb_on = false;
}

static void pool_put(struct klp_object *obj)
{
	kfree(pool);
	pool = NULL;
	pool_built = 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "out_of_memory", .new_func = lp_out_of_memory },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pool_get,
			.post_patch = notifier_on,
			.pre_unpatch = notifier_off,
			.post_unpatch = pool_put,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_oom_init(void)
{
	return klp_register_patch(&patch);
}

static void __exit lp_oom_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_oom_init);
module_exit(lp_oom_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
