// SPDX-License-Identifier: GPL-2.0
/*
 * An example livepatch module klplint checks clean: it replaces /proc/cmdline's show function in
 * vmlinux and keeps a small per-object counter with callbacks, set up on the patch side and torn
 * down on the unpatch side.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int patched_objects;

static int lp_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "klplint example: cmdline patched\n");
	return 0;
}

static int count_pre_patch(struct klp_object *obj)
{
	patched_objects++;
	return 0;
}

static void count_post_unpatch(struct klp_object *obj)
{
	patched_objects--;
}

static struct klp_func vmlinux_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = lp_cmdline_proc_show,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		/* .name NULL: vmlinux */
		.funcs = vmlinux_funcs,
		.callbacks = {
			.pre_patch = count_pre_patch,
			.post_unpatch = count_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init proc_fix_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit proc_fix_exit(void)
{
}

module_init(proc_fix_init);
module_exit(proc_fix_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
