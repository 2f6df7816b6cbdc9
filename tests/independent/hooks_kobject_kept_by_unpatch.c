// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks API (struct klp_hook arrays), several hooks per object. The
 * vmlinux object's first patch hook publishes a control directory under
 * /sys/kernel with one attribute, unwinding with goto on failure; its
 * second hook only logs. The unpatch hook removes the attribute but keeps
 * the directory: after a disable the kobject stays, and the next enable
 * (or the module's unload) leaves it behind for good.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

static struct kobject *lpk_dir;

static ssize_t lpk_mode_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "strict\n");
}

static struct kobj_attribute lpk_mode_attr = __ATTR(mode, 0444, lpk_mode_show, NULL);

static int lpk_publish(struct klp_object *obj)
{
	int ret;

	lpk_dir = kobject_create_and_add("lp_fsync", kernel_kobj); // expect KLP204
	if (!lpk_dir)
		return -ENOMEM;
	ret = sysfs_create_file(lpk_dir, &lpk_mode_attr.attr);
	if (ret)
		goto err_put;
	return 0;

err_put:
	kobject_put(lpk_dir);
	lpk_dir = NULL;
	return ret;
}

static int lpk_log(struct klp_object *obj)
{
	pr_info("fsync fix active\n");
	return 0;
}

static int lpk_unpublish(struct klp_object *obj)
{
	if (lpk_dir)
		sysfs_remove_file(lpk_dir, &lpk_mode_attr.attr);
	return 0;
}

static int lpk_vfs_fsync_range(void *file, long long start, long long end, int datasync)
{
	return 0;
}

static struct klp_func lpk_funcs[] = {
	{ .old_name = "vfs_fsync_range", .new_func = lpk_vfs_fsync_range },
	{ }
};

static struct klp_hook lpk_patch_hooks[] = {
	{ .hook = lpk_publish },
	{ .hook = lpk_log },
	{ }
};

static struct klp_hook lpk_unpatch_hooks[] = {
	{ .hook = lpk_unpublish },
	{ }
};

static struct klp_object lpk_objs[] = {
	{
		.funcs = lpk_funcs,
		.patch_hooks = lpk_patch_hooks,
		.unpatch_hooks = lpk_unpatch_hooks,
	},
	{ }
};

static struct klp_patch lpk_patch = {
	.mod = THIS_MODULE,
	.objs = lpk_objs,
};

static int __init lpk_init(void)
{
	int ret;

	ret = klp_register_patch(&lpk_patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&lpk_patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&lpk_patch));
		return ret;
	}
	return 0;
}

static void __exit lpk_exit(void)
{
	WARN_ON(klp_unregister_patch(&lpk_patch));
}

module_init(lpk_init);
module_exit(lpk_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
