// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: writable static tables at file scope. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_crypto_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "c_show", .new_func = lp_crypto_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
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

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
