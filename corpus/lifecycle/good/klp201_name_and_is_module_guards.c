// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: three other ways of telling vmlinux from a module before
 * touching obj->mod: a lp_is_module() helper as the core writes it, a test of
 * obj->name, and strcmp() on the name only once it is known to be set. The
 * module-only callback needs no guard at all: the core only calls it while
 * the module is loaded.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/string.h>
#include <linux/seq_file.h>

static int lp_version_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "Linux version (livepatched)\n");
	return 0;
}

static bool lp_is_module(struct klp_object *obj)
{
	return obj->name;
}

static int lp_pre_patch(struct klp_object *obj)
{
	if (!lp_is_module(obj))
		return 0;
	pr_info("patching module %s\n", obj->mod->name);
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	if (!obj->name)
		return;
	if (!strcmp(obj->name, "ext4") && obj->mod->state == MODULE_STATE_COMING)
		pr_info("ext4 is loading with the fix already applied\n");
}

static void lp_pre_unpatch_ext4(struct klp_object *obj)
{
	pr_info("unpatching %s, refcount %d\n", obj->mod->name, module_refcount(obj->mod));
}

static struct klp_func vmlinux_funcs[] = {
	{
		.old_name = "version_proc_show",
		.new_func = lp_version_proc_show,
	},
	{ }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = vmlinux_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_patch = lp_post_patch,
		},
	},
	{
		.name = "ext4",
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch_ext4,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
