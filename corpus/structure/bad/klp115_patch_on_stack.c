// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the patch table built on module_init's stack, and a funcs table made const "because
 * it never changes": the core keeps pointers to both and writes into them.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_crypto_show(void *m, void *v)
{
	return 0;
}

static const struct klp_func funcs[] = {	// expect KLP115
	{ .old_name = "c_show", .new_func = lp_crypto_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = (struct klp_func *)funcs, },
	{ }
};

static int __init lp_init(void)
{
	struct klp_patch patch = {	// expect KLP115
		.mod = THIS_MODULE,
		.objs = objs,
	};

	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
