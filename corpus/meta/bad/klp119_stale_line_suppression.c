// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: the funcs table got its terminator long ago; its suppression stayed behind. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int lp_cmdline_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "livepatched");
	return 0;
}

/* klplint: ignore[KLP101] -- no terminator yet, see the ticket */	// expect KLP119
static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show, },
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

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
