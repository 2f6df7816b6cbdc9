// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: a misspelt rule id never suppressed anything; of two ids, one (KLP108) is stale. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int lp_version_show(struct seq_file *m, void *v)
{
	seq_puts(m, "patched\n");
	return 0;
}

static struct klp_func funcs[] = {	// klplint: ignore[KLP1O1]  expect KLP119 KLP101
	{ .old_name = "version_proc_show", .new_func = lp_version_show, },
};

static struct klp_object objs[] = {	// klplint: ignore[KLP107, KLP108]  expect KLP119
	{ .name = "vmlinux", .funcs = funcs, },
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
