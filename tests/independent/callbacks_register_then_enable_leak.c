// SPDX-License-Identifier: GPL-2.0
/*
 * A 4.15 to 5.0 livepatch in the style of that era's samples: module_init
 * registers the patch, then enables it, and unregisters it again when the
 * enable fails. Before 5.1 a disabled patch stays registered, so the
 * administrator may re-enable it through sysfs. pre_patch of the vmlinux
 * object allocates a fresh quirk table on every enable, and only module_exit frees
 * it: a re-enable overwrites the pointer to the first table.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

struct mount_quirks {
	unsigned long flags;
	char tag[16];
};

static struct mount_quirks *quirks;

static int lp_path_mount(const char *dev, void *path, const char *type, unsigned long flags, void *data)
{
	return 0;
}

static int quirks_alloc(struct klp_object *obj)
{
	quirks = kmalloc(sizeof(*quirks), GFP_KERNEL); // expect KLP204
	if (!quirks)
		return -ENOMEM;
	quirks->flags = 0;
	return 0;
}

static struct klp_func mount_funcs[] = {
	{ .old_name = "path_mount", .new_func = lp_path_mount },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = mount_funcs,
		.callbacks.pre_patch = quirks_alloc,
	},
	{ }
};

static struct klp_patch quirk_patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init quirk_init(void)
{
	int ret;

	ret = klp_register_patch(&quirk_patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&quirk_patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&quirk_patch));
		return ret;
	}
	return 0;
}

static void __exit quirk_exit(void)
{
	WARN_ON(klp_unregister_patch(&quirk_patch));
	kfree(quirks);
}

module_init(quirk_init);
module_exit(quirk_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
