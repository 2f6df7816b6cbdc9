// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: an object ported halfway from hooks to callbacks; and a callback role set twice. */
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
}

static void release_verbose(struct klp_object *obj)
{
	users--;
	pr_info("released\n");
}

static struct klp_hook hooks[] = {
	{ .hook = grab },
	{ }
};

static struct klp_func funcs[] = {
	{ .old_name = "frag_show", .new_func = lp_buddyinfo_show, },
	{ }
};

static struct klp_func mod_funcs[] = { { } };

static struct klp_object objs[] = {
	{	// expect KLP118
		.funcs = funcs,
		.patch_hooks = hooks,
		.callbacks = { .post_unpatch = release, },
	},
	{
		.name = "zram",
		.funcs = mod_funcs,
		.callbacks = {
			.post_unpatch = release,
			.post_unpatch = release_verbose,	// expect KLP118
		},
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
