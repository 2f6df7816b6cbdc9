// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: module_init checks klp_enable_patch()'s result. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_diskstats_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "diskstats_show", .new_func = lp_diskstats_show, },
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
	int ret;

	pr_info("applying diskstats fix\n");
	ret = klp_enable_patch(&patch);
	if (ret)
		pr_err("diskstats fix not applied: %d\n", ret);
	return ret;
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
