// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus (correct twin): the vmlinux table is resolved once in
 * module_init (vmlinux never reloads, although only btrfs's replacement uses
 * its symbol), the btrfs table in btrfs's pre_patch at each load of btrfs,
 * and its address cleared in post_unpatch.
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

static int fx_btrfs_pre_patch(struct klp_object *obj)
{
	return apply_fixups("btrfs", fs_fixups, ARRAY_SIZE(fs_fixups));
}

static void fx_btrfs_post_unpatch(struct klp_object *obj)
{
	fx_btrfs_commit_transaction = NULL;
}

static struct klp_func btrfs_funcs[] = {
	{ .old_name = "btrfs_sync_fs", .new_func = fx_btrfs_sync_fs },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "btrfs",
		.funcs = btrfs_funcs,
		.callbacks = { .pre_patch = fx_btrfs_pre_patch, .post_unpatch = fx_btrfs_post_unpatch },
	},
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
	return klp_enable_patch(&patch);
}

static void __exit fx_exit(void)
{
}

module_init(fx_init);
module_exit(fx_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
