// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: a GPL-compatible dual license. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_zoneinfo_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "zoneinfo_show", .new_func = lp_zoneinfo_show, },
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
MODULE_LICENSE("Dual BSD/GPL");
MODULE_INFO(livepatch, "Y");
