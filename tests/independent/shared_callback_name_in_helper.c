// SPDX-License-Identifier: GPL-2.0
/*
 * Four objects built by a macro (vmlinux and three filesystems), all with the
 * same pre_patch. pre_patch counts the target through two layers of helpers;
 * the innermost compares the object's name with strcmp(), and for the
 * vmlinux object that name is NULL.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/string.h>

#define LP_NR_TARGETS	3

static const char * const lp_targets[LP_NR_TARGETS] = { "ext4", "xfs", "btrfs" };
static unsigned int lp_patched_count[LP_NR_TARGETS + 1];

static int lp_target_index(const char *name)
{
	int i;

	for (i = 0; i < LP_NR_TARGETS; i++)
		if (!strcmp(name, lp_targets[i])) // expect KLP201
			return i;
	return LP_NR_TARGETS;
}

static void lp_account(struct klp_object *obj)
{
	lp_patched_count[lp_target_index(obj->name)]++;
}

static int lp_pre_patch(struct klp_object *obj)
{
	lp_account(obj);
	return 0;
}

static int lp_statfs(void *dentry, void *buf) { return 0; }
static int lp_cmdline_show(struct seq_file *m, void *v) { return 0; }

#define LP_FUNCS(_sym, _new) static struct klp_func _new##_funcs[] = { \
	{ .old_name = #_sym, .new_func = lp_statfs }, { } }

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show },
	{ }
};
LP_FUNCS(ext4_statfs, ext4);
LP_FUNCS(xfs_fs_statfs, xfs);
LP_FUNCS(btrfs_statfs, btrfs);

#define LP_TARGET(_name, _funcs) \
	{ .name = _name, .funcs = _funcs, .callbacks = { .pre_patch = lp_pre_patch } }

static struct klp_object lp_objs[] = {
	LP_TARGET(NULL, vmlinux_funcs),
	LP_TARGET("ext4", ext4_funcs),
	LP_TARGET("xfs", xfs_funcs),
	LP_TARGET("btrfs", btrfs_funcs),
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
