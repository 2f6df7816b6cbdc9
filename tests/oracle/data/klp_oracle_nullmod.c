// SPDX-License-Identifier: GPL-2.0
/*
 * KLP201 for the oracle's tests: a pre_patch shared by vmlinux and a module
 * object reads obj->mod->state without checking obj->mod, which is NULL for
 * vmlinux. The kernel oopses when the patch is enabled. (obj->mod->name would
 * not do: printk's %s turns the bad pointer into "(efault)".)
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "klp_oracle_nullmod");
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_COMING)	// expect KLP201
		pr_info("klp_oracle_nullmod: module coming\n");
	return 0;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs, .callbacks = { .pre_patch = pre_patch, }, },
	{ .name = "bridge", .funcs = no_funcs, .callbacks = { .pre_patch = pre_patch, }, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int klp_oracle_nullmod_init(void)
{
	return klp_enable_patch(&patch);
}

static void klp_oracle_nullmod_exit(void)
{
}

module_init(klp_oracle_nullmod_init);
module_exit(klp_oracle_nullmod_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
