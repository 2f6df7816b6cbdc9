// SPDX-License-Identifier: GPL-2.0
/*
 * The twin of replacement_uses_post_patch_buffer.c in another style: the
 * replacement of the module object's function looks a key up in a table
 * the object's pre_patch builds (before any of its functions are patched)
 * and post_unpatch frees (after every task has left them). A second
 * pointer, to the counters, is set only while post_patch and pre_unpatch
 * bracket it: the replacement tests it first, so it never sees it unset,
 * and what it points to is static.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/string.h>

#define LPK_SLOTS 64

struct lpk_table {
	unsigned int keys[LPK_SLOTS];
};

static struct lpk_table *lpk_tab;
static unsigned int lpk_counts[LPK_SLOTS];
static unsigned int *lpk_ring;

static bool lpk_known(unsigned int key)
{
	unsigned int i;

	for (i = 0; i < LPK_SLOTS; i++)
		if (lpk_tab->keys[i] == key)
			return true;
	return false;
}

static int lpk_dm_ioctl(void *file, unsigned int cmd, unsigned long arg)
{
	if (!lpk_known(cmd))
		return -ENOTTY;
	if (lpk_ring)
		lpk_ring[cmd % LPK_SLOTS]++;
	return 0;
}

static int lpk_pre_patch(struct klp_object *obj)
{
	lpk_tab = kzalloc(sizeof(*lpk_tab), GFP_KERNEL);
	if (!lpk_tab)
		return -ENOMEM;
	lpk_tab->keys[0] = 0xfd00;
	return 0;
}

static void lpk_post_patch(struct klp_object *obj)
{
	lpk_ring = lpk_counts;
}

static void lpk_pre_unpatch(struct klp_object *obj)
{
	lpk_ring = NULL;
}

static void lpk_post_unpatch(struct klp_object *obj)
{
	kfree(lpk_tab);
	lpk_tab = NULL;
}

static struct klp_func lpk_funcs[] = {
	{ .old_name = "dm_ctl_ioctl", .new_func = lpk_dm_ioctl },
	{ }
};

static struct klp_object lpk_objs[] = {
	{
		.name = "dm_mod",
		.funcs = lpk_funcs,
		.callbacks = {
			.pre_patch = lpk_pre_patch,
			.post_patch = lpk_post_patch,
			.pre_unpatch = lpk_pre_unpatch,
			.post_unpatch = lpk_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpk_patch = {
	.mod = THIS_MODULE,
	.objs = lpk_objs,
};

static int __init lpk_init(void)
{
	return klp_enable_patch(&lpk_patch);
}

static void __exit lpk_exit(void)
{
}

module_init(lpk_init);
module_exit(lpk_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
