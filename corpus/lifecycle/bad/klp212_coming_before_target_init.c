// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the fix for the nfsd export cache marks the cache as
 * livepatched from post_patch. nfsd allocates its cache in its init function;
 * when nfsd is loaded after the patch, post_patch runs while nfsd is COMING,
 * before that init, and the cache pointer is still NULL.
 *
 * lp_nfsd_export_cache is resolved in nfsd through a livepatch relocation;
 * a plain out-of-tree build sees an undefined symbol:
 * kbuild-expect: modpost "lp_nfsd_export_cache"
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LP_CACHE_PATCHED	0x80000000u

struct lp_cache_detail {
	unsigned int flags;
	unsigned int hash_size;
};

extern struct lp_cache_detail *lp_nfsd_export_cache;

static int lp_svc_export_parse(void *cd, char *mesg, int mlen)
{
	return 0;
}

static void lp_post_patch_nfsd(struct klp_object *obj)
{
	lp_nfsd_export_cache->flags |= LP_CACHE_PATCHED; // expect KLP212
}

static void lp_pre_unpatch_nfsd(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_LIVE)
		lp_nfsd_export_cache->flags &= ~LP_CACHE_PATCHED;
}

static struct klp_func nfsd_funcs[] = {
	{
		.old_name = "svc_export_parse",
		.new_func = lp_svc_export_parse,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "nfsd",
		.funcs = nfsd_funcs,
		.callbacks = {
			.post_patch = lp_post_patch_nfsd,
			.pre_unpatch = lp_pre_unpatch_nfsd,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
