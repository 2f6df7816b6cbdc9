// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * klp-ccp style, clean: the replacement is the extracted body of the
 * original, and the static vmlinux helpers it calls became klpe_ pointers
 * filled from a relocation table when the livepatch loads. vmlinux never
 * unloads, so resolving once is right, and the replaced function itself is
 * not in the table (calling it would recurse).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>
#include <linux/errno.h>

struct klp_kallsyms_reloc {
	const char *symname;
	void **addr;
};

static void (*klpe_show_val_kb)(struct seq_file *m, const char *s, unsigned long num);
static unsigned long (*klpe_vmalloc_nr_pages)(void);

static struct klp_kallsyms_reloc klp_funcs[] = {
	{ "show_val_kb", (void **)&klpe_show_val_kb },
	{ "vmalloc_nr_pages", (void **)&klpe_vmalloc_nr_pages },
};

static int klp_kallsyms_relocs_lookup(struct klp_kallsyms_reloc *relocs, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		unsigned long addr = kallsyms_lookup_name(relocs[i].symname);

		if (!addr) {
			pr_err("livepatch: symbol %s not resolved\n", relocs[i].symname);
			return -ENOENT;
		}
		*relocs[i].addr = (void *)addr;
	}
	return 0;
}

static int klpp_meminfo_proc_show(struct seq_file *m, void *v)
{
	(*klpe_show_val_kb)(m, "VmallocUsed:    ", (*klpe_vmalloc_nr_pages)());
	seq_puts(m, "Livepatch:      1\n");
	return 0;
}

static struct klp_func klpp_vmlinux_funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = klpp_meminfo_proc_show },
	{ }
};

static struct klp_object klpp_objs[] = {
	{ .name = NULL, .funcs = klpp_vmlinux_funcs },
	{ }
};

static struct klp_patch klpp_patch = {
	.mod = THIS_MODULE,
	.objs = klpp_objs,
	.replace = true,
};

static int __init klpp_init(void)
{
	int ret;

	ret = klp_kallsyms_relocs_lookup(klp_funcs, ARRAY_SIZE(klp_funcs));
	if (ret)
		return ret;
	return klp_enable_patch(&klpp_patch);
}

static void __exit klpp_cleanup(void)
{
}

module_init(klpp_init);
module_exit(klpp_cleanup);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
