// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean hooks-era patch with a vmlinux object and an xfs object, registered
 * and enabled from module_init (unregistering when enabling fails). The xfs
 * patch hook is idempotent and undoes its own work before failing; the
 * unpatch hook releases and clears; the vmlinux hook has no module to look at.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/reboot.h>
#include <linux/notifier.h>

struct lp_xfs_ctx {
	unsigned long flushes;
};

static struct lp_xfs_ctx *lp_xfs;
static bool lp_reboot_registered;

static int lp_reboot(struct notifier_block *nb, unsigned long action, void *data)
{
	return NOTIFY_DONE;
}

static struct notifier_block lp_reboot_nb = { .notifier_call = lp_reboot };

static int lp_xfs_up(struct klp_object *obj)
{
	int ret;

	if (lp_xfs)
		return 0;
	lp_xfs = kzalloc(sizeof(*lp_xfs), GFP_KERNEL);
	if (!lp_xfs)
		return -ENOMEM;
	ret = register_reboot_notifier(&lp_reboot_nb);
	if (ret) {
		kfree(lp_xfs);
		lp_xfs = NULL;
		return ret;
	}
	lp_reboot_registered = true;
	if (obj->mod)
		pr_info("livepatch: %s hooked\n", obj->mod->name);
	return 0;
}

static int lp_xfs_down(struct klp_object *obj)
{
	if (lp_reboot_registered) {
		unregister_reboot_notifier(&lp_reboot_nb);
		lp_reboot_registered = false;
	}
	kfree(lp_xfs);
	lp_xfs = NULL;
	return 0;
}

static int lp_vmlinux_note(struct klp_object *obj)
{
	pr_info("livepatch: vmlinux %s\n", obj->name ? obj->name : "(kernel)");
	return 0;
}

static int lp_xfs_fs_sync_fs(void *sb, int wait) { return 0; }
static int lp_loadavg_show(struct seq_file *m, void *v) { return 0; }

static struct klp_hook lp_xfs_patch_hooks[] = { { .hook = lp_xfs_up }, { } };
static struct klp_hook lp_xfs_unpatch_hooks[] = { { .hook = lp_xfs_down }, { } };
static struct klp_hook lp_vmlinux_hooks[] = { { .hook = lp_vmlinux_note }, { } };
static struct klp_hook lp_vmlinux_unhooks[] = { { .hook = lp_vmlinux_note }, { } };

static struct klp_func lp_vmlinux_funcs[] = {
	{ .old_name = "loadavg_proc_show", .new_func = lp_loadavg_show },
	{ }
};

static struct klp_func lp_xfs_funcs[] = {
	{ .old_name = "xfs_fs_sync_fs", .new_func = lp_xfs_fs_sync_fs },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_vmlinux_funcs,
		.patch_hooks = lp_vmlinux_hooks,
		.unpatch_hooks = lp_vmlinux_unhooks,
	},
	{
		.name = "xfs",
		.funcs = lp_xfs_funcs,
		.patch_hooks = lp_xfs_patch_hooks,
		.unpatch_hooks = lp_xfs_unpatch_hooks,
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	int ret;

	ret = klp_register_patch(&lp_patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&lp_patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&lp_patch));
		return ret;
	}
	return 0;
}

static void __exit lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&lp_patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
