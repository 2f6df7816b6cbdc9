// SPDX-License-Identifier: GPL-2.0
/*
 * One vmlinux object and two module objects. The vmlinux post_patch counts
 * the objects with ARRAY_SIZE() and indexes the array to log each module
 * target's name: but a module that is not loaded has obj->mod == NULL, and
 * the index loop reads it anyway.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_meminfo(void *m, void *v) { return 0; }
static int lp_nfs_lookup(void *dir, void *dentry, unsigned int flags) { return 0; }
static int lp_nfsd_open(void *inode, void *filp) { return 0; }

static struct klp_func core_funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = lp_meminfo },
	{ }
};
static struct klp_func nfs_funcs[] = {
	{ .old_name = "nfs_lookup", .new_func = lp_nfs_lookup },
	{ }
};
static struct klp_func nfsd_funcs[] = {
	{ .old_name = "nfsd_open", .new_func = lp_nfsd_open },
	{ }
};

static void lp_summary(struct klp_object *obj);

static struct klp_object lp_targets[] = {
	{ .funcs = core_funcs, .callbacks = { .post_patch = lp_summary } },
	{ .name = "nfs", .funcs = nfs_funcs },
	{ .name = "nfsd", .funcs = nfsd_funcs },
	{ }
};

static void lp_summary(struct klp_object *obj)
{
	unsigned int i;

	/* the last entry is the terminator */
	for (i = 1; i < ARRAY_SIZE(lp_targets) - 1; i++)
		pr_info("lp: %s covered\n", lp_targets[i].mod->name); // expect KLP201
}

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_targets,
};

static int __init lp_load(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_unload(void)
{
}

module_init(lp_load);
module_exit(lp_unload);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
