// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus: relocations in generated-livepatch style, a table of
 * { symbol, address of the pointer, object } walked by one helper with a
 * cursor. module_init resolves the whole table once; its kvm entry is stale
 * after kvm reloads and missing when kvm loads after the livepatch. The
 * vmlinux entry (no object) is fine although kvm's replacement uses it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>

struct lp_reloc {
	const char *symname;
	void **addr;
	const char *objname;
};

static int (*lpe_kvm_vcpu_halt)(void *vcpu);
static unsigned long (*lpe_nr_running)(void);

static struct lp_reloc lp_relocs[] = {
	{ "nr_running", (void **)&lpe_nr_running, NULL },
	{ "kvm_vcpu_halt", (void **)&lpe_kvm_vcpu_halt, "kvm" },
};

static int lp_resolve(struct lp_reloc *relocs, size_t n)
{
	struct lp_reloc *r;

	for (r = relocs; r < relocs + n; r++) {
		unsigned long addr = kallsyms_lookup_name(r->symname);

		if (!addr)
			return -ENOENT;
		*r->addr = (void *)addr;
	}
	return 0;
}

static int lp_kvm_vcpu_block(void *vcpu)
{
	if (lpe_nr_running() > 1)
		return lpe_kvm_vcpu_halt(vcpu);
	return 0;
}

static struct klp_func kvm_funcs[] = {
	{ .old_name = "kvm_vcpu_block", .new_func = lp_kvm_vcpu_block },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "kvm", .funcs = kvm_funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	int ret = lp_resolve(lp_relocs, ARRAY_SIZE(lp_relocs)); // expect KLP215

	if (ret)
		return ret;
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
