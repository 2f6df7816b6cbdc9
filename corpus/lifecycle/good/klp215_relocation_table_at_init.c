// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus (correct twin): the vmlinux relocations are resolved once in
 * module_init (vmlinux never reloads), the kvm ones in kvm's pre_patch at each
 * load of kvm, and cleared in its post_unpatch.
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

static struct lp_reloc lp_vmlinux_relocs[] = {
	{ "nr_running", (void **)&lpe_nr_running, NULL },
};

static struct lp_reloc lp_kvm_relocs[] = {
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

static int lp_kvm_pre_patch(struct klp_object *obj)
{
	return lp_resolve(lp_kvm_relocs, ARRAY_SIZE(lp_kvm_relocs));
}

static void lp_kvm_post_unpatch(struct klp_object *obj)
{
	lpe_kvm_vcpu_halt = NULL;
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
	{
		.name = "kvm",
		.funcs = kvm_funcs,
		.callbacks = { .pre_patch = lp_kvm_pre_patch, .post_unpatch = lp_kvm_post_unpatch },
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	int ret = lp_resolve(lp_vmlinux_relocs, ARRAY_SIZE(lp_vmlinux_relocs));

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
