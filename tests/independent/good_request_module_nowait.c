// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: the fix for the nfsd object needs the nfs_acl helper module
 * present. post_patch asks for it with request_module_nowait(), which only
 * starts modprobe and does not wait for it, so the core's klp_mutex (held
 * while post_patch runs, and wanted by the module load's
 * klp_module_coming()) is released before modprobe gets there.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kmod.h>

static void lp_want_helper(const char *name)
{
	int ret = request_module_nowait("%s", name);

	if (ret)
		pr_warn("livepatch: cannot request %s: %d\n", name, ret);
}

static void lp_nfsd_post_patch(struct klp_object *obj)
{
	lp_want_helper("nfs_acl");
}

static int lp_nfsd3_proc_getacl(void *rqstp)
{
	return 0;
}

static struct klp_func lp_nfsd_funcs[] = {
	{ .old_name = "nfsd3_proc_getacl", .new_func = lp_nfsd3_proc_getacl },
	{ }
};

static struct klp_object lp_objs[] = {
	{ .name = "nfsd", .funcs = lp_nfsd_funcs, .callbacks = { .post_patch = lp_nfsd_post_patch } },
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
