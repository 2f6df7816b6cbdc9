// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * klplint corpus (correct twin): kallsyms_lookup_name() is not exported from 5.7 on, so the
 * module plants a kprobe on a helper it needs (not on the function it replaces), and
 * the replacement calls that helper: no redirect applies to it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kprobes.h>
#include <linux/seq_file.h>

typedef int (*show_fn)(struct seq_file *, void *);

static struct kprobe lookup_kp = {
	.symbol_name = "avenrun_show_helper",
};

static show_fn old_loadavg_show;

static int livepatch_loadavg_show(struct seq_file *m, void *v)
{
	if (old_loadavg_show)
		return old_loadavg_show(m, v);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "loadavg_proc_show", .new_func = livepatch_loadavg_show, },
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
	int ret = register_kprobe(&lookup_kp);

	if (ret)
		return ret;
	old_loadavg_show = (show_fn)lookup_kp.addr;
	unregister_kprobe(&lookup_kp);
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
