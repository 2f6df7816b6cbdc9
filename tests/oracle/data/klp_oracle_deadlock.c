// SPDX-License-Identifier: GPL-2.0
/*
 * KLP208 for the oracle's tests: post_patch enables a second patch. The core
 * calls post_patch with klp_mutex held and klp_enable_patch() takes it again:
 * the task that completes the transition blocks for ever.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "klp_oracle_deadlock");
	return 0;
}

static struct klp_func more_funcs[] = {
	{ }
};

static struct klp_object more_objs[] = {
	{ .funcs = more_funcs, },
	{ }
};

static struct klp_patch more = {
	.mod = THIS_MODULE,
	.objs = more_objs,
};

static void post_patch(struct klp_object *obj)
{
	klp_enable_patch(&more);	// expect KLP208
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs, .callbacks = { .post_patch = post_patch, }, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int klp_oracle_deadlock_init(void)
{
	return klp_enable_patch(&patch);
}

static void klp_oracle_deadlock_exit(void)
{
}

module_init(klp_oracle_deadlock_init);
module_exit(klp_oracle_deadlock_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
