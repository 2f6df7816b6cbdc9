// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the vmlinux object that only carries callbacks gets an empty funcs array, so the
 * core walks past it to the ext4 object.
 * expect-no-findings
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static bool quirk_enabled;

static int lp_ext4_sync_fs(void *sb, int wait)
{
	return 0;
}

static int quirk_pre_patch(struct klp_object *obj)
{
	quirk_enabled = true;
	return 0;
}

static void quirk_post_unpatch(struct klp_object *obj)
{
	quirk_enabled = false;
}

static struct klp_func no_vmlinux_funcs[] = { { } };

static struct klp_func ext4_funcs[] = {
	{ .old_name = "ext4_sync_fs", .new_func = lp_ext4_sync_fs, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = no_vmlinux_funcs,
		.callbacks = {
			.pre_patch = quirk_pre_patch,
			.post_unpatch = quirk_post_unpatch,
		},
	},
	{ .name = "ext4", .funcs = ext4_funcs, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init quirk_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(quirk_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
