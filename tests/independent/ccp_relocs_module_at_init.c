// SPDX-License-Identifier: GPL-2.0
/*
 * klp-ccp style with a module target: two relocation tables, one for
 * vmlinux and one for nf_tables, both resolved from module_init through the
 * same helper. The vmlinux one is fine; the nf_tables address is resolved
 * once, so it is missing when nf_tables loads after the livepatch and points
 * into freed text after nf_tables is reloaded.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

struct klp_kallsyms_reloc {
	const char *symname;
	void **addr;
};

static void (*klpe_audit_log_nfcfg)(const char *name, unsigned char af, unsigned int nentries,
				    int op, unsigned int gfp);
static void *(*klpe_nft_table_lookup)(const void *net, const void *nla, unsigned char family,
				      unsigned char genmask, unsigned int nlpid);

static struct klp_kallsyms_reloc klp_vmlinux_relocs[] = {
	{ "audit_log_nfcfg", (void **)&klpe_audit_log_nfcfg },
};

static struct klp_kallsyms_reloc klp_nf_tables_relocs[] = {
	{ "nft_table_lookup", (void **)&klpe_nft_table_lookup },
};

static int klp_resolve_relocs(struct klp_kallsyms_reloc *relocs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long a = kallsyms_lookup_name(relocs[i].symname);

		if (!a)
			return -ENOENT;
		*relocs[i].addr = (void *)a;
	}
	return 0;
}

static int klpp_nf_tables_getrule(const void *net, const void *nla)
{
	void *table;

	table = (*klpe_nft_table_lookup)(net, nla, 2, 0, 0);
	if (!table)
		return -ENOENT;
	(*klpe_audit_log_nfcfg)("getrule", 2, 1, 0, 0);
	return 0;
}

static struct klp_func klpp_nf_tables_funcs[] = {
	{ .old_name = "nf_tables_getrule", .new_func = klpp_nf_tables_getrule },
	{ }
};

static struct klp_object klpp_objs[] = {
	{ .name = "nf_tables", .funcs = klpp_nf_tables_funcs },
	{ }
};

static struct klp_patch klpp_patch = {
	.mod = THIS_MODULE,
	.objs = klpp_objs,
};

static int __init klpp_init(void)
{
	int ret;

	ret = klp_resolve_relocs(klp_vmlinux_relocs, ARRAY_SIZE(klp_vmlinux_relocs));
	if (ret)
		return ret;
	ret = klp_resolve_relocs(klp_nf_tables_relocs, ARRAY_SIZE(klp_nf_tables_relocs)); // expect KLP215
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
