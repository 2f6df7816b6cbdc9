// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "cmdline_proc_show"
/*
 * klplint corpus: the replacement of cmdline_proc_show() delegates to a helper
 * that "prints the original line first" by calling cmdline_proc_show() by
 * name. Once patched, that call is redirected into the replacement again.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

int cmdline_proc_show(struct seq_file *m, void *v);

static void lp_emit(struct seq_file *m, void *v)
{
	cmdline_proc_show(m, v); // expect KLP214
	seq_puts(m, " livepatch=1\n");
}

static int lp_cmdline_proc_show(struct seq_file *m, void *v)
{
	lp_emit(m, v);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_proc_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
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

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
