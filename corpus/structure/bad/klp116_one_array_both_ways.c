// SPDX-License-Identifier: GPL-2.0
/* klplint corpus (hooks API): one hooks array reused for patching and unpatching. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_slabinfo_show(void *m, void *v)
{
	return 0;
}

static int log_transition(struct klp_object *obj)
{
	pr_info("slabinfo patch transition on %s\n", obj->name ? obj->name : "vmlinux");
	return 0;
}

static struct klp_hook hooks[] = {
	{ .hook = log_transition },
	{ }
};

static struct klp_func funcs[] = {
	{ .old_name = "slabinfo_show", .new_func = lp_slabinfo_show, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.patch_hooks = hooks,
		.unpatch_hooks = hooks,	// expect KLP116
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	int ret = klp_register_patch(&patch);

	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret)
		WARN_ON(klp_unregister_patch(&patch));
	return ret;
}

static void __exit lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
