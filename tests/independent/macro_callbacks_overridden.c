// SPDX-License-Identifier: GPL-2.0
/*
 * Objects built by a macro that fills in the common callbacks; the ext4
 * object then sets its own pre_patch after the macro, in the same
 * initializer. C keeps the last one: ext4 silently loses the common
 * pre_patch (and the accounting it does), which is what the author wanted
 * to extend, not replace.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static atomic_t lp_objects_ready;

static int lp_common_pre_patch(struct klp_object *obj)
{
	atomic_inc(&lp_objects_ready);
	return 0;
}

static void lp_common_post_unpatch(struct klp_object *obj)
{
	atomic_dec(&lp_objects_ready);
}

static int lp_ext4_pre_patch(struct klp_object *obj)
{
	return 0;
}

#define LP_COMMON_CALLBACKS \
	.callbacks = { .pre_patch = lp_common_pre_patch, .post_unpatch = lp_common_post_unpatch }

static int lp_ext4_statfs(void *dentry, void *buf) { return 0; }
static int lp_meminfo_show(struct seq_file *m, void *v) { return 0; }

static struct klp_func lp_vmlinux_funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = lp_meminfo_show },
	{ }
};

static struct klp_func lp_ext4_funcs[] = {
	{ .old_name = "ext4_statfs", .new_func = lp_ext4_statfs },
	{ }
};

static struct klp_object lp_objs[] = {
	{ .funcs = lp_vmlinux_funcs, LP_COMMON_CALLBACKS },
	{
		.name = "ext4",
		.funcs = lp_ext4_funcs,
		LP_COMMON_CALLBACKS,
		.callbacks.pre_patch = lp_ext4_pre_patch, // expect KLP118
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
