// SPDX-License-Identifier: GPL-2.0
/* klplint corpus (hooks API): registered in module_init, never unregistered in module_exit. */
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

static int note_patched(struct klp_object *obj)
{
	return 0;
}

static struct klp_hook hooks[] = {
	{ .hook = note_patched },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, .patch_hooks = hooks, },
	{ }
};

static struct klp_patch patch = {	// expect KLP117
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	int ret = klp_register_patch(&patch);

	if (ret)
		return ret;
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
