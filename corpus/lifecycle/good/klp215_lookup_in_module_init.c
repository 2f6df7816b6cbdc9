// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus (correct twin): the address is looked up in ext4's pre_patch,
 * which runs each time ext4 loads (before its code is patched), and cleared in
 * post_unpatch when ext4 goes or the patch is disabled.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>

static int (*ext4_check_quota_p)(void *sb);

static int lp_ext4_remount(void *sb, int *flags, char *data)
{
	if (ext4_check_quota_p && ext4_check_quota_p(sb))
		return -EINVAL;
	return 0;
}

static int lp_ext4_pre_patch(struct klp_object *obj)
{
	ext4_check_quota_p = (void *)kallsyms_lookup_name("ext4_check_quota_consistency");
	return ext4_check_quota_p ? 0 : -ENOENT;
}

static void lp_ext4_post_unpatch(struct klp_object *obj)
{
	ext4_check_quota_p = NULL;
}

static struct klp_func ext4_funcs[] = {
	{ .old_name = "ext4_remount", .new_func = lp_ext4_remount, },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "ext4",
		.funcs = ext4_funcs,
		.callbacks = {
			.pre_patch = lp_ext4_pre_patch,
			.post_unpatch = lp_ext4_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
