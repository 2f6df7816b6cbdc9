// SPDX-License-Identifier: GPL-2.0
/*
 * A slab cache for per-request records, created in pre_patch and destroyed
 * in post_unpatch without clearing the pointer; module_exit destroys it
 * again "to be safe". A callbacks-era livepatch module can only be removed
 * after it was disabled, so every disable-then-rmmod destroys it twice.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

struct lp_req_rec {
	unsigned long id;
	unsigned int flags;
};

static struct kmem_cache *lp_rec_cache;

static int lp_pre_patch(struct klp_object *obj)
{
	if (!lp_rec_cache)
		lp_rec_cache = kmem_cache_create("lp_req_rec", sizeof(struct lp_req_rec), 0,
						 SLAB_HWCACHE_ALIGN, NULL);
	return lp_rec_cache ? 0 : -ENOMEM;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kmem_cache_destroy(lp_rec_cache);
}

static int lp_blk_mq_requeue(void *rq, bool kick)
{
	return 0;
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "blk_mq_requeue_request", .new_func = lp_blk_mq_requeue },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
	kmem_cache_destroy(lp_rec_cache); // expect KLP205
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
