// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API, two module objects): each pre_patch
 * switches over the module state it is given. The core only ever passes
 * LIVE (the module was loaded when the patch was enabled) or COMING (it
 * loads later), so no scenario leaves the switches; but neither switch
 * has a default, and C lets control run into the closing brace: the
 * kernel build rejects it (-Werror=return-type) and where that is
 * silenced pre_patch returns whatever was in the register.
 *
 * The btrfs side goes through a helper that maps the state to a mode and
 * whose result pre_patch tests, with goto cleanup.
 */
#pragma GCC diagnostic ignored "-Wreturn-type"
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

enum lpx_mode { LPX_MODE_LATE = 1, LPX_MODE_RUNNING = 2 };

static void *lpx_btrfs_ctx;

static int lpx_ext4_pre(struct klp_object *obj) // expect KLP209
{
	switch (obj->mod->state) {
	case MODULE_STATE_LIVE:
		pr_info("ext4 running: patching in place\n");
		return 0;
	case MODULE_STATE_COMING:
		return 0;
	}
}

static int lpx_mode_of(const struct module *mod) // expect KLP209
{
	if (mod->state == MODULE_STATE_COMING)
		return LPX_MODE_LATE;
	else if (mod->state == MODULE_STATE_LIVE)
		return LPX_MODE_RUNNING;
}

static int lpx_btrfs_pre(struct klp_object *obj)
{
	int mode;

	lpx_btrfs_ctx = kzalloc(64, GFP_KERNEL);
	if (!lpx_btrfs_ctx)
		return -ENOMEM;
	mode = lpx_mode_of(obj->mod);
	if (mode != LPX_MODE_LATE && mode != LPX_MODE_RUNNING)
		goto err_free;
	return 0;

err_free:
	kfree(lpx_btrfs_ctx);
	lpx_btrfs_ctx = NULL;
	return -EINVAL;
}

static void lpx_btrfs_post_unpatch(struct klp_object *obj)
{
	kfree(lpx_btrfs_ctx);
	lpx_btrfs_ctx = NULL;
}

static int lpx_ext4_da_write_end(void *file) { return 0; }
static int lpx_btrfs_sync_file(void *file) { return 0; }

static struct klp_func lpx_ext4_funcs[] = {
	{ .old_name = "ext4_da_write_end", .new_func = lpx_ext4_da_write_end },
	{ }
};

static struct klp_func lpx_btrfs_funcs[] = {
	{ .old_name = "btrfs_sync_file", .new_func = lpx_btrfs_sync_file },
	{ }
};

static struct klp_object lpx_objs[] = {
	{
		.name = "ext4",
		.funcs = lpx_ext4_funcs,
		.callbacks = { .pre_patch = lpx_ext4_pre },
	}, {
		.name = "btrfs",
		.funcs = lpx_btrfs_funcs,
		.callbacks = {
			.pre_patch = lpx_btrfs_pre,
			.post_unpatch = lpx_btrfs_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpx_patch = {
	.mod = THIS_MODULE,
	.objs = lpx_objs,
};

static int __init lpx_init(void)
{
	return klp_enable_patch(&lpx_patch);
}

static void __exit lpx_exit(void)
{
}

module_init(lpx_init);
module_exit(lpx_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
