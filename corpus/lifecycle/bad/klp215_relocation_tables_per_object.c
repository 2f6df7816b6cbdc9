// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus: relocations split into one table per object, with no
 * object field in the entries; the helper is told which object each table
 * serves. module_init resolves both once: the btrfs address is missing when
 * btrfs loads after the livepatch and stale after btrfs reloads. The core
 * table's symbol is vmlinux's although only btrfs's replacement uses it.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

struct sym_fixup {
	void **slot;
	const char *name;
};

static int (*fx_btrfs_commit_transaction)(void *trans);
static void (*fx_wake_up_bit)(void *word, int bit);

static struct sym_fixup core_fixups[] = {
	{ .name = "wake_up_bit", .slot = (void **)&fx_wake_up_bit },
};

static struct sym_fixup fs_fixups[] = {
	{ .name = "btrfs_commit_transaction", .slot = (void **)&fx_btrfs_commit_transaction },
};

static int apply_fixups(const char *obj, struct sym_fixup *fx, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		unsigned long where = kallsyms_lookup_name(fx[i].name);

		if (!where) {
			pr_err("%s: %s not found\n", obj, fx[i].name);
			return -ENOENT;
		}
		*fx[i].slot = (void *)where;
	}
	return 0;
}

static int fx_btrfs_sync_fs(void *trans)
{
	int err = fx_btrfs_commit_transaction(trans);

	fx_wake_up_bit(trans, 0);
	return err;
}

static struct klp_func btrfs_funcs[] = {
	{ .old_name = "btrfs_sync_fs", .new_func = fx_btrfs_sync_fs },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "btrfs", .funcs = btrfs_funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init fx_init(void)
{
	int err;

	err = apply_fixups("vmlinux", core_fixups, ARRAY_SIZE(core_fixups));
	if (err)
		return err;
	err = apply_fixups("btrfs", fs_fixups, ARRAY_SIZE(fs_fixups)); // expect KLP215
	if (err)
		return err;
	return klp_enable_patch(&patch);
}

static void __exit fx_exit(void)
{
}

module_init(fx_init);
module_exit(fx_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
