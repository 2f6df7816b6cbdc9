// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus: a relocation table, indexed by a helper, that also lists the
 * function being replaced so that the replacement can "call the original":
 * ftrace sends that call back into the replacement.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>

struct lp_reloc {
	const char *symname;
	void **addr;
};

static int (*lpe_version_proc_show)(struct seq_file *m, void *v);

static struct lp_reloc lp_relocs[] = {
	{ .symname = "version_proc_show", .addr = (void **)&lpe_version_proc_show },
};

static int lp_resolve(struct lp_reloc *t, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		*t[i].addr = (void *)kallsyms_lookup_name(t[i].symname);
		if (!*t[i].addr)
			return -ENOENT;
	}
	return 0;
}

static int lp_version_proc_show(struct seq_file *m, void *v)
{
	int ret = lpe_version_proc_show(m, v); // expect KLP214

	seq_puts(m, "(livepatched)\n");
	return ret;
}

static struct klp_func funcs[] = {
	{ .old_name = "version_proc_show", .new_func = lp_version_proc_show },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	int ret = lp_resolve(lp_relocs, ARRAY_SIZE(lp_relocs));

	return ret ? ret : klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
