// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * klp-ccp style, clean: the nf_tables relocations are resolved in that
 * object's pre_patch, which runs at every load of nf_tables (and at enable
 * when it is already loaded), and cleared in its post_unpatch. The
 * replacement only runs while nf_tables is patched, so the pointer is valid
 * whenever it is called.
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

static int (*klpe_nft_chain_validate)(const void *ctx, const void *chain);

static struct klp_kallsyms_reloc klp_nf_tables_relocs[] = {
	{ "nft_chain_validate", (void **)&klpe_nft_chain_validate },
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

static void klp_clear_relocs(struct klp_kallsyms_reloc *relocs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		*relocs[i].addr = NULL;
}

static int klpp_nf_tables_validate(const void *net)
{
	return (*klpe_nft_chain_validate)(net, NULL);
}

static int klpp_nf_tables_pre_patch(struct klp_object *obj)
{
	return klp_resolve_relocs(klp_nf_tables_relocs, ARRAY_SIZE(klp_nf_tables_relocs));
}

static void klpp_nf_tables_post_unpatch(struct klp_object *obj)
{
	klp_clear_relocs(klp_nf_tables_relocs, ARRAY_SIZE(klp_nf_tables_relocs));
}

static struct klp_func klpp_nf_tables_funcs[] = {
	{ .old_name = "nf_tables_validate", .new_func = klpp_nf_tables_validate },
	{ }
};

static struct klp_object klpp_objs[] = {
	{
		.name = "nf_tables",
		.funcs = klpp_nf_tables_funcs,
		.callbacks = {
			.pre_patch = klpp_nf_tables_pre_patch,
			.post_unpatch = klpp_nf_tables_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch klpp_patch = {
	.mod = THIS_MODULE,
	.objs = klpp_objs,
};

static int __init klpp_init(void)
{
	return klp_enable_patch(&klpp_patch);
}

static void __exit klpp_cleanup(void)
{
}

module_init(klpp_init);
module_exit(klpp_cleanup);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
