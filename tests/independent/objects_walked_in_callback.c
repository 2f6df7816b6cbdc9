// SPDX-License-Identifier: GPL-2.0
/*
 * Several objects (vmlinux and two modules), one post_patch shared by all of
 * them that reports which targets are patched by walking the patch's object
 * array with a pointer up to its terminator. It reads o->mod->name for every
 * object: NULL for vmlinux and for a module that is not loaded.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LP_OBJ(_name, _funcs, _cb) { .name = _name, .funcs = _funcs, .callbacks = _cb }

static int lp_cmdline_show(struct seq_file *m, void *v) { return 0; }
static int lp_ext4_sync_fs(void *sb, int wait) { return 0; }
static int lp_xfs_sync_fs(void *sb, int wait) { return 0; }

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show },
	{ }
};
static struct klp_func ext4_funcs[] = {
	{ .old_name = "ext4_sync_fs", .new_func = lp_ext4_sync_fs },
	{ }
};
static struct klp_func xfs_funcs[] = {
	{ .old_name = "xfs_fs_sync_fs", .new_func = lp_xfs_sync_fs },
	{ }
};

static void lp_report(struct klp_object *obj);

#define LP_CALLBACKS { .post_patch = lp_report }

static struct klp_object lp_objs[] = {
	LP_OBJ(NULL, vmlinux_funcs, LP_CALLBACKS),
	LP_OBJ("ext4", ext4_funcs, LP_CALLBACKS),
	LP_OBJ("xfs", xfs_funcs, LP_CALLBACKS),
	{ }
};

static void lp_report(struct klp_object *obj)
{
	struct klp_object *o;

	for (o = lp_objs; o->name || o->funcs; o++)
		pr_info("target %s patched\n", o->mod->name); // expect KLP201
}

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
