// SPDX-License-Identifier: GPL-2.0
/*
 * Two scratch buffers live in a fixed array while the patch is active. Both
 * post_unpatch and module_exit release them by walking the array with a
 * pointer up to its end, and neither clears the slots: module_exit frees
 * what post_unpatch already freed.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

#define SCRATCH_SLOTS 2

static void *scratch[SCRATCH_SLOTS];

static void scratch_release(void)
{
	void **slot;

	for (slot = scratch; slot < scratch + SCRATCH_SLOTS; slot++)
		kfree(*slot); // expect KLP205
}

static int scratch_pre_patch(struct klp_object *obj)
{
	int i;

	for (i = 0; i < SCRATCH_SLOTS; i++) {
		scratch[i] = kzalloc(256, GFP_KERNEL);
		if (!scratch[i]) {
			scratch_release();
			return -ENOMEM;
		}
	}
	return 0;
}

static void scratch_post_unpatch(struct klp_object *obj)
{
	scratch_release();
}

static int lp_vfs_statfs(void *path, void *buf) { return 0; }

static struct klp_func funcs[] = {
	{ .old_name = "vfs_statfs", .new_func = lp_vfs_statfs },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = scratch_pre_patch,
			.post_unpatch = scratch_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init scratch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit scratch_exit(void)
{
	scratch_release();
}

module_init(scratch_init);
module_exit(scratch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
