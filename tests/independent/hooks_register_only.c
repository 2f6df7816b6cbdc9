// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks-era patch registered from module_init and enabled later by the
 * administrator through sysfs. The patch hook arms a delayed work item on a
 * freshly allocated context; the unpatch hook cancels the work but never frees
 * the context, so every disable leaks it and every re-enable allocates anew.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

struct fixup_ctx {
	struct delayed_work dw;
	unsigned long hits;
};

static struct fixup_ctx *fx;

static void fx_work(struct work_struct *w)
{
}

static long fx_uptime(void)
{
	return 0;
}

static int fx_setup(struct klp_object *obj)
{
	fx = kzalloc(sizeof(*fx), GFP_KERNEL); // expect KLP204
	if (!fx)
		return -ENOMEM;
	INIT_DELAYED_WORK(&fx->dw, fx_work);
	schedule_delayed_work(&fx->dw, HZ);
	return 0;
}

static int fx_teardown(struct klp_object *obj)
{
	if (fx)
		cancel_delayed_work_sync(&fx->dw);
	return 0;
}

static struct klp_hook fx_patch_hooks[] = {
	{ .hook = fx_setup },
	{ }
};

static struct klp_hook fx_unpatch_hooks[] = {
	{ .hook = fx_teardown },
	{ }
};

static struct klp_func fx_funcs[] = {
	{ .old_name = "uptime_proc_show", .new_func = fx_uptime },
	{ }
};

static struct klp_object fx_objs[] = {
	{
		.funcs = fx_funcs,
		.patch_hooks = fx_patch_hooks,
		.unpatch_hooks = fx_unpatch_hooks,
	},
	{ }
};

static struct klp_patch fx_patch = {
	.mod = THIS_MODULE,
	.objs = fx_objs,
};

static int __init fx_init(void)
{
	return klp_register_patch(&fx_patch);
}

static void __exit fx_exit(void)
{
	WARN_ON(klp_unregister_patch(&fx_patch));
}

module_init(fx_init);
module_exit(fx_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
