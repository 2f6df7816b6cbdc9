// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API, a module object): the replacement of a
 * netfilter helper attaches a shadow flag to each connection it inspects;
 * the object's pre_unpatch frees them all. That is before the unpatching
 * transition: tasks not yet switched back still inspect connections with
 * the new function and attach flags that nothing frees afterwards.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LPN_SV_SEEN 0x4e01

static int lpn_help(void *skb, unsigned int protoff, void *ct, int ctinfo)
{
	bool *seen = klp_shadow_get_or_alloc(ct, LPN_SV_SEEN, sizeof(*seen), GFP_ATOMIC, // expect KLP303
					     NULL, NULL);

	if (seen)
		*seen = true;
	return 1;
}

static void lpn_pre_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(LPN_SV_SEEN, NULL);
}

static struct klp_func lpn_funcs[] = {
	{ .old_name = "nf_conntrack_ftp_help", .new_func = lpn_help },
	{ }
};

static struct klp_object lpn_objs[] = {
	{
		.name = "nf_conntrack_ftp",
		.funcs = lpn_funcs,
		.callbacks = { .pre_unpatch = lpn_pre_unpatch },
	},
	{ }
};

static struct klp_patch lpn_patch = {
	.mod = THIS_MODULE,
	.objs = lpn_objs,
};

static int __init lpn_init(void)
{
	return klp_enable_patch(&lpn_patch);
}

static void __exit lpn_exit(void)
{
}

module_init(lpn_init);
module_exit(lpn_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
