// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * The patched code tracks in-flight requests in objects from a private slab
 * cache, created in pre_patch together with a sentinel object. post_unpatch
 * gives the sentinel back to the cache, then destroys the cache.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

struct inflight {
	unsigned long started;
	int tag;
};

static struct kmem_cache *inflight_cache;
static struct inflight *inflight_sentinel;

static int inflight_pre_patch(struct klp_object *obj)
{
	inflight_cache = kmem_cache_create("lp_inflight", sizeof(struct inflight), 0, 0, NULL);
	if (!inflight_cache)
		return -ENOMEM;
	inflight_sentinel = kmem_cache_zalloc(inflight_cache, GFP_KERNEL);
	if (!inflight_sentinel) {
		kmem_cache_destroy(inflight_cache);
		inflight_cache = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void inflight_post_unpatch(struct klp_object *obj)
{
	kmem_cache_free(inflight_cache, inflight_sentinel);
	kmem_cache_destroy(inflight_cache);
	inflight_sentinel = NULL;
	inflight_cache = NULL;
}

static int lp_blk_mq_start_request(void *rq) { return 0; }

static struct klp_func funcs[] = {
	{ .old_name = "blk_mq_start_request", .new_func = lp_blk_mq_start_request },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = inflight_pre_patch,
			.post_unpatch = inflight_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init inflight_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit inflight_exit(void)
{
}

module_init(inflight_init);
module_exit(inflight_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
