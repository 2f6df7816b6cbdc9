// SPDX-License-Identifier: GPL-2.0
/*
 * Before the patch is disabled, the vmlinux object's pre_unpatch reports the
 * modules it still patches. It walks the object array with
 * klp_for_each_object_static() and skips the objects the core has not
 * patched (klp_object.patched) -- but vmlinux is patched too, and its
 * obj->mod is NULL.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static struct klp_patch fix_patch;

static long fix_sys_sync(void) { return 0; }
static int fix_btrfs_sync(void *sb, int wait) { return 0; }

static void fix_report(struct klp_object *unused)
{
	struct klp_patch *p = &fix_patch;
	struct klp_object *cur;

	klp_for_each_object_static(p, cur) {
		if (!cur->patched)
			continue;
		pr_info("fix: still patching %s\n", cur->mod->name); // expect KLP201
	}
}

static struct klp_func kernel_funcs[] = {
	{ .old_name = "ksys_sync", .new_func = fix_sys_sync },
	{ }
};
static struct klp_func btrfs_funcs[] = {
	{ .old_name = "btrfs_sync_fs", .new_func = fix_btrfs_sync },
	{ }
};

static struct klp_object fix_objs[] = {
	{ .funcs = kernel_funcs, .callbacks = { .pre_unpatch = fix_report } },
	{ .name = "btrfs", .funcs = btrfs_funcs },
	{ }
};

static struct klp_patch fix_patch = {
	.mod = THIS_MODULE,
	.objs = fix_objs,
};

static int __init fix_init(void)
{
	return klp_enable_patch(&fix_patch);
}

static void __exit fix_exit(void)
{
}

module_init(fix_init);
module_exit(fix_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
