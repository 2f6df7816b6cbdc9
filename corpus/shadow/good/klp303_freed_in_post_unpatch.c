// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API, a module object): the replacement of a
 * netfilter helper attaches a shadow flag to each connection it inspects;
 * the object's post_unpatch frees them all, once no task runs the new
 * function: the twin of klp303_freed_in_pre_unpatch.c.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LPN_SV_SEEN 0x4e01

static int lpn_help(void *skb, unsigned int protoff, void *ct, int ctinfo)
{
	bool *seen = klp_shadow_get_or_alloc(ct, LPN_SV_SEEN, sizeof(*seen), GFP_ATOMIC,
					     NULL, NULL);

	if (seen)
		*seen = true;
	return 1;
}

static void lpn_post_unpatch(struct klp_object *obj)
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
		.callbacks = { .post_unpatch = lpn_post_unpatch },
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
