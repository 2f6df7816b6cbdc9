// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: the funcs array has no final { }, so the core reads past its end. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int lp_meminfo_show(struct seq_file *m, void *v)
{
	seq_puts(m, "MemTotal: patched\n");
	return 0;
}

static int lp_uptime_show(struct seq_file *m, void *v)
{
	seq_puts(m, "0.00 0.00\n");
	return 0;
}

static struct klp_func proc_funcs[] = {	// expect KLP101
	{ .old_name = "meminfo_proc_show", .new_func = lp_meminfo_show, },
	{ .old_name = "uptime_proc_show", .new_func = lp_uptime_show, },
};

static struct klp_object proc_objs[] = {
	{ .funcs = proc_funcs, },
	{ }
};

static struct klp_patch proc_patch = {
	.mod = THIS_MODULE,
	.objs = proc_objs,
};

static int __init proc_lp_init(void)
{
	return klp_enable_patch(&proc_patch);
}

module_init(proc_lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
