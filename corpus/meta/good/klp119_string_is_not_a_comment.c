// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: suppression text inside a string literal is not a suppression, and a bare
 * ignore (no rule ids) that covers a finding is used. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static const char banner[] = "/* klplint: ignore[KLP101] */ // klplint: ignore";

static int lp_show(void *m, void *v)
{
	pr_info("%s\n", banner);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "show_partition", .new_func = lp_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ }
};

static struct klp_patch patch = {	/* klplint: ignore */
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
