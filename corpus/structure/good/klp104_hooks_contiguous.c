// SPDX-License-Identifier: GPL-2.0
/* klplint corpus (hooks API): hooks listed without gaps, one terminator at the end. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int patched_count;

static int lp_loadavg_show(void *m, void *v)
{
	return 0;
}

static int count_patch(struct klp_object *obj)
{
	patched_count++;
	return 0;
}

static int announce_patch(struct klp_object *obj)
{
	pr_info("loadavg fix active\n");
	return 0;
}

static int count_unpatch(struct klp_object *obj)
{
	patched_count--;
	return 0;
}

static struct klp_hook patch_hooks[] = {
	{ .hook = count_patch },
	{ .hook = announce_patch },
	{ }
};

static struct klp_hook unpatch_hooks[] = {
	{ .hook = count_unpatch },
	{ }
};

static struct klp_func funcs[] = {
	{ .old_name = "loadavg_proc_show", .new_func = lp_loadavg_show, },
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

static void __exit lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
