// SPDX-License-Identifier: GPL-2.0
/*
 * kpatch-style module patching btrfs. The addresses of btrfs' data are kept
 * in one struct of pointers, filled from a name table by a resolver loop in
 * btrfs' pre_patch (with a goto ladder that clears them on failure) and
 * cleared in post_unpatch. post_patch then walks btrfs' list of fs_devices
 * through the resolved address of btrfs' global pointer: when btrfs loads
 * after the livepatch, post_patch runs while it is COMING, before btrfs'
 * init has allocated that list, and the global is still NULL. The mount
 * counter read through the same struct is only compared: reading btrfs'
 * integer before its init is harmless.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

struct lpx_fs_uuids {
	unsigned long generation;
	unsigned int flags;
};

struct lpx_btrfs_syms {
	struct lpx_fs_uuids **fs_uuids;
	int *mount_count;
};

static struct lpx_btrfs_syms lpx_btrfs;

struct lpx_symref {
	const char *name;
	void **slot;
};

static struct lpx_symref lpx_btrfs_names[] = {
	{ "lpx_btrfs_fs_uuids", (void **)&lpx_btrfs.fs_uuids },
	{ "lpx_btrfs_mount_count", (void **)&lpx_btrfs.mount_count },
};

static int lpx_lookup_all(struct lpx_symref *refs, unsigned int count)
{
	unsigned int k;
	unsigned long where;

	for (k = 0; k < count; k++) {
		where = kallsyms_lookup_name(refs[k].name);
		if (!where)
			goto undo;
		*refs[k].slot = (void *)where;
	}
	return 0;

undo:
	while (k--)
		*refs[k].slot = NULL;
	return -ENOENT;
}

static int lpx_btrfs_pre_patch(struct klp_object *obj)
{
	return lpx_lookup_all(lpx_btrfs_names, ARRAY_SIZE(lpx_btrfs_names));
}

static void lpx_btrfs_post_patch(struct klp_object *obj)
{
	struct lpx_fs_uuids *uuids;

	if (*lpx_btrfs.mount_count > 0)
		pr_info("btrfs already has mounts\n");
	uuids = *lpx_btrfs.fs_uuids;
	uuids->flags |= 0x1; // expect KLP212
}

static void lpx_btrfs_post_unpatch(struct klp_object *obj)
{
	lpx_btrfs.fs_uuids = NULL;
	lpx_btrfs.mount_count = NULL;
}

static long lpx_btrfs_ioctl_dev_info(void *fs_info, void *arg)
{
	return 0;
}

static struct klp_func lpx_btrfs_funcs[] = {
	{ .old_name = "btrfs_ioctl_dev_info", .new_func = lpx_btrfs_ioctl_dev_info },
	{ }
};

static struct klp_object lpx_objs[] = {
	{
		.name = "btrfs",
		.funcs = lpx_btrfs_funcs,
		.callbacks = {
			.pre_patch = lpx_btrfs_pre_patch,
			.post_patch = lpx_btrfs_post_patch,
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
