// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: callbacks API only, one function per role. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int users;

static int lp_buddyinfo_show(void *m, void *v)
{
	return 0;
}

static int grab(struct klp_object *obj)
{
	users++;
	return 0;
}

static void release(struct klp_object *obj)
{
	users--;
	pr_info("released\n");
}

static struct klp_func funcs[] = {
	{ .old_name = "frag_show", .new_func = lp_buddyinfo_show, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = { .pre_patch = grab, .post_unpatch = release, },
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

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
