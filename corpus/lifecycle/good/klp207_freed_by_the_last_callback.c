// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp207_context_used_after_free.c:
 * pre_unpatch only deactivates the context; post_unpatch, the last callback
 * of the object, reports and frees it.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

struct lp_ext4_ctx {
	unsigned long resized;
	bool active;
};

static struct lp_ext4_ctx *lp_ctx;

static int lp_ext4_resize_fs(void *sb, unsigned long long n_blocks_count)
{
	if (lp_ctx && lp_ctx->active)
		lp_ctx->resized++;
	return 0;
}

static int lp_pre_patch_ext4(struct klp_object *obj)
{
	lp_ctx = kzalloc(sizeof(*lp_ctx), GFP_KERNEL);
	if (!lp_ctx)
		return -ENOMEM;
	lp_ctx->active = true;
	return 0;
}

static void lp_pre_unpatch_ext4(struct klp_object *obj)
{
	lp_ctx->active = false;
}

static void lp_post_unpatch_ext4(struct klp_object *obj)
{
	pr_info("%lu online resizes patched\n", lp_ctx->resized);
	kfree(lp_ctx);
	lp_ctx = NULL;
}

static struct klp_func ext4_funcs[] = {
	{
		.old_name = "ext4_resize_fs",
		.new_func = lp_ext4_resize_fs,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "ext4",
		.funcs = ext4_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch_ext4,
			.pre_unpatch = lp_pre_unpatch_ext4,
			.post_unpatch = lp_post_unpatch_ext4,
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
