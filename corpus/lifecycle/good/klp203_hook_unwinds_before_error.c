// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (hooks API): the correct twin of
 * klp203_hook_returns_after_half_setup.c: when the notifier cannot be
 * registered the hook gives the table back before returning, so the patch
 * goes live with a consistent (empty) setup the patched function copes with.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/notifier.h>
#include <linux/slab.h>

struct lp_conn_table {
	unsigned long hits;
	unsigned long misses;
};

static struct lp_conn_table *lp_table;

static int lp_module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == MODULE_STATE_GOING && lp_table)
		lp_table->misses = 0;
	return NOTIFY_OK;
}

static struct notifier_block lp_module_nb = {
	.notifier_call = lp_module_event,
};

static int lp_tcp_retransmit_skb(void *sk, void *skb, int segs)
{
	if (lp_table)
		lp_table->hits++;
	return 0;
}

static int lp_setup_hook(struct klp_object *obj)
{
	int ret;

	lp_table = kzalloc(sizeof(*lp_table), GFP_KERNEL);
	if (!lp_table)
		return -ENOMEM;

	ret = register_module_notifier(&lp_module_nb);
	if (ret) {
		pr_err("cannot register the module notifier: %d\n", ret);
		kfree(lp_table);
		lp_table = NULL;
		return ret;
	}
	return 0;
}

static int lp_teardown_hook(struct klp_object *obj)
{
	unregister_module_notifier(&lp_module_nb);
	kfree(lp_table);
	lp_table = NULL;
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "tcp_retransmit_skb",
		.new_func = lp_tcp_retransmit_skb,
	},
	{ }
};

static struct klp_hook patch_hooks[] = {
	{ .hook = lp_setup_hook },
	{ }
};

static struct klp_hook unpatch_hooks[] = {
	{ .hook = lp_teardown_hook },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.patch_hooks = patch_hooks,
		.unpatch_hooks = unpatch_hooks,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lp_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
