// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: every suppression here matches a finding: the one on the line before the
 * table, the one at the end of the line, and the file-wide one.
 * klplint: ignore-file[KLP113]
 */
// expect-no-findings
// kbuild-expect: modpost "uses GPL-only symbol 'klp_enable_patch'"
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int lp_meminfo_show(struct seq_file *m, void *v)
{
	seq_puts(m, "MemTotal: patched\n");
	return 0;
}

/* klplint: ignore[KLP101] */
static struct klp_func funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = lp_meminfo_show, },
};

static struct klp_object objs[] = {	// klplint: ignore[KLP107]
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
MODULE_LICENSE("Proprietary");
MODULE_INFO(livepatch, "Y");
