// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks of the xfs object classify the module's state in a switch
 * inside a helper. The unpatch side handles COMING, which it never sees
 * (it sees LIVE on disable and GOING on unload), and the patch-side
 * helper returns from only two of the cases: for the others pre_patch
 * returns whatever was in the register.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static bool lp_xfs_live;

static int lp_patch_side(struct module *mod) // expect KLP209
{
	switch (mod->state) {
	case MODULE_STATE_LIVE:
		lp_xfs_live = true;
		return 0;
	case MODULE_STATE_COMING:
		lp_xfs_live = false;
		return 0;
	default:
		pr_warn("livepatch: xfs in state %d\n", mod->state);
		break;
	}
}

static void lp_unpatch_side(struct module *mod)
{
	switch (mod->state) {
	case MODULE_STATE_COMING: // expect KLP202
		pr_info("livepatch: xfs failed to load\n");
		break;
	case MODULE_STATE_GOING:
		lp_xfs_live = false;
		break;
	default:
		break;
	}
}

static int lp_xfs_pre_patch(struct klp_object *obj)
{
	return lp_patch_side(obj->mod);
}

static void lp_xfs_post_unpatch(struct klp_object *obj)
{
	lp_unpatch_side(obj->mod);
}

static int lp_xfs_fs_sync_fs(void *sb, int wait) { return 0; }

static struct klp_func lp_xfs_funcs[] = {
	{ .old_name = "xfs_fs_sync_fs", .new_func = lp_xfs_fs_sync_fs },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.name = "xfs",
		.funcs = lp_xfs_funcs,
		.callbacks = { .pre_patch = lp_xfs_pre_patch, .post_unpatch = lp_xfs_post_unpatch },
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
