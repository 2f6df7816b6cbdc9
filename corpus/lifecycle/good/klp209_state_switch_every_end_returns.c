// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API, two module objects): the twin of
 * klp209_state_switch_without_default.c. Every way out of the code
 * returns: a default that returns, a BUG() where no state is expected, a
 * retry loop that only leaves by returning, and a helper whose result is
 * ignored (it may fall off: nobody reads it).
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/delay.h>

enum lpx_mode { LPX_MODE_LATE = 1, LPX_MODE_RUNNING = 2 };

static void *lpx_btrfs_ctx;

static int lpx_ext4_pre(struct klp_object *obj)
{
	switch (obj->mod->state) {
	case MODULE_STATE_LIVE:
		pr_info("ext4 running: patching in place\n");
		return 0;
	case MODULE_STATE_COMING:
		return 0;
	default:
		return -EINVAL;
	}
}

static int lpx_mode_of(const struct module *mod)
{
	if (mod->state == MODULE_STATE_COMING)
		return LPX_MODE_LATE;
	else if (mod->state == MODULE_STATE_LIVE)
		return LPX_MODE_RUNNING;
	BUG();
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wreturn-type"
static int lpx_log_state(const struct module *mod)
{
	if (mod->state == MODULE_STATE_COMING) {
		pr_info("btrfs is loading\n");
		return 1;
	}
}
#pragma GCC diagnostic pop

static int lpx_btrfs_pre(struct klp_object *obj)
{
	int tries;

	lpx_log_state(obj->mod);
	for (tries = 0;; tries++) {
		lpx_btrfs_ctx = kzalloc(64, GFP_KERNEL);
		if (lpx_btrfs_ctx)
			break;
		if (tries == 3)
			return -ENOMEM;
		msleep(10);
	}
	if (lpx_mode_of(obj->mod) == LPX_MODE_LATE)
		pr_info("btrfs patched while loading\n");
	return 0;
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
