// SPDX-License-Identifier: GPL-2.0
/*
 * A distribution-style fix that wants to "call the original and fix up the
 * result": it resolves the address of the function it replaces with
 * kallsyms_lookup_name() at load time and calls it from the replacement. The
 * ftrace redirect sends that call straight back into the replacement.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>

static int (*klpe_meminfo_proc_show)(struct seq_file *m, void *v);

static int klpp_meminfo_proc_show(struct seq_file *m, void *v)
{
	int ret;

	ret = klpe_meminfo_proc_show(m, v); // expect KLP214
	seq_puts(m, "Livepatched: yes\n");
	return ret;
}

static struct klp_func funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = klpp_meminfo_proc_show, },
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

static int __init klp_fix_init(void)
{
	klpe_meminfo_proc_show = (void *)kallsyms_lookup_name("meminfo_proc_show");
	if (!klpe_meminfo_proc_show)
		return -ENOENT;
	return klp_enable_patch(&patch);
}

static void __exit klp_fix_exit(void)
{
}

module_init(klp_fix_init);
module_exit(klp_fix_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
