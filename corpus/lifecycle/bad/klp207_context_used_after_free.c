// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the fix keeps a context for the ext4 object. pre_unpatch
 * frees it to stop the replacement code from using it, then post_unpatch
 * writes the final statistics into it. (And when a stalled transition is
 * reversed, pre_unpatch does not run at all: post_unpatch drops the pointer
 * to a context nobody freed.) Freeing in pre_unpatch is early for the
 * replacement too: tasks not yet switched back still run it.
 */
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
	if (lp_ctx && lp_ctx->active) // expect KLP216
		lp_ctx->resized++;
	return 0;
}

static int lp_pre_patch_ext4(struct klp_object *obj)
{
	lp_ctx = kzalloc(sizeof(*lp_ctx), GFP_KERNEL); // expect KLP204
	if (!lp_ctx)
		return -ENOMEM;
	lp_ctx->active = true;
	return 0;
}

static void lp_pre_unpatch_ext4(struct klp_object *obj)
{
	kfree(lp_ctx);
}

static void lp_post_unpatch_ext4(struct klp_object *obj)
{
	lp_ctx->active = false; // expect KLP207
	pr_info("%lu online resizes patched\n", lp_ctx->resized); // expect KLP207
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
