// SPDX-License-Identifier: GPL-2.0
/* klplint corpus (hooks API): patch and unpatch hooks in their own arrays. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_slabinfo_show(void *m, void *v)
{
	return 0;
}

static int log_patched(struct klp_object *obj)
{
	pr_info("slabinfo patched on %s\n", obj->name ? obj->name : "vmlinux");
	return 0;
}

static int log_unpatched(struct klp_object *obj)
{
	pr_info("slabinfo unpatched on %s\n", obj->name ? obj->name : "vmlinux");
	return 0;
}

static struct klp_hook patch_hooks[] = {
	{ .hook = log_patched },
	{ }
};

static struct klp_hook unpatch_hooks[] = {
	{ .hook = log_unpatched },
	{ }
};

static struct klp_func funcs[] = {
	{ .old_name = "slabinfo_show", .new_func = lp_slabinfo_show, },
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
