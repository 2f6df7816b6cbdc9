// SPDX-License-Identifier: GPL-2.0
// kbuild-expect: modpost "kallsyms_lookup_name"
/*
 * klplint corpus: the fix for an ext4 function needs ext4's static helper. Its
 * address is looked up once, when the livepatch loads: NULL if ext4 loads
 * later, and stale once ext4 is unloaded and loaded again.
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

static struct klp_func ext4_funcs[] = {
	{ .old_name = "ext4_remount", .new_func = lp_ext4_remount, },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "ext4", .funcs = ext4_funcs, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	ext4_check_quota_p = (void *)kallsyms_lookup_name("ext4_check_quota_consistency"); // expect KLP215
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
