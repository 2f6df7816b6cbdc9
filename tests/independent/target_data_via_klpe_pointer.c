// SPDX-License-Identifier: GPL-2.0
/*
 * klp-ccp style for a module target, resolving correctly in pre_patch and
 * clearing in post_unpatch. But post_patch then marks every bucket of the
 * target's hash table, reached through the resolved address of the
 * target's global pointer: when nf_conntrack loads after the livepatch,
 * post_patch runs while it is COMING, before its init allocated the table,
 * and the pointer is still NULL.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

struct klpp_hbucket {
	unsigned long first;
};

static struct klpp_hbucket **klpe_nf_conntrack_hash;
static unsigned int *klpe_nf_conntrack_htable_size;

static int klpp_resolve(void)
{
	klpe_nf_conntrack_hash = (void *)kallsyms_lookup_name("nf_conntrack_hash");
	klpe_nf_conntrack_htable_size = (void *)kallsyms_lookup_name("nf_conntrack_htable_size");
	if (!klpe_nf_conntrack_hash || !klpe_nf_conntrack_htable_size)
		return -ENOENT;
	return 0;
}

static int klpp_nf_conntrack_pre_patch(struct klp_object *obj)
{
	return klpp_resolve();
}

static void klpp_nf_conntrack_post_patch(struct klp_object *obj)
{
	struct klpp_hbucket *hash = *klpe_nf_conntrack_hash;

	hash[0].first |= 1UL; // expect KLP212
}

static void klpp_nf_conntrack_post_unpatch(struct klp_object *obj)
{
	klpe_nf_conntrack_hash = NULL;
	klpe_nf_conntrack_htable_size = NULL;
}

static int klpp_nf_conntrack_hash_check_insert(void *ct)
{
	return 0;
}

static struct klp_func klpp_funcs[] = {
	{ .old_name = "nf_conntrack_hash_check_insert", .new_func = klpp_nf_conntrack_hash_check_insert },
	{ }
};

static struct klp_object klpp_objs[] = {
	{
		.name = "nf_conntrack",
		.funcs = klpp_funcs,
		.callbacks = {
			.pre_patch = klpp_nf_conntrack_pre_patch,
			.post_patch = klpp_nf_conntrack_post_patch,
			.post_unpatch = klpp_nf_conntrack_post_unpatch,
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
