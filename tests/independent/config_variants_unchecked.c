// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration variants: the slot count depends on CONFIG_X86_64, the
 * per-CPU pick on CONFIG_SMP, and the ext4 object exists only when ext4 is
 * configured. Whatever the configuration, post_patch writes into the table
 * it just allocated without checking the allocation.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/jiffies.h>

#ifdef CONFIG_X86_64
#define LP_SLOTS	64
#else
#define LP_SLOTS	32
#endif

struct lp_slot_table {
	unsigned long stamp;
	unsigned long hits[LP_SLOTS];
};

static struct lp_slot_table *lp_slots;

static void lp_post_patch(struct klp_object *obj)
{
	lp_slots = kzalloc(sizeof(*lp_slots), GFP_KERNEL);
	lp_slots->stamp = jiffies; // expect KLP211
#ifdef CONFIG_SMP
	pr_info("livepatch: %d slots, cpu %d\n", LP_SLOTS, raw_smp_processor_id());
#else
	pr_info("livepatch: %d slots\n", LP_SLOTS);
#endif
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	kfree(lp_slots);
	lp_slots = NULL;
}

static int lp_uptime_proc_show(struct seq_file *m, void *v)
{
	return 0;
}

#if IS_ENABLED(CONFIG_EXT4_FS)
static int lp_ext4_statfs(void *dentry, void *buf)
{
	return 0;
}

static struct klp_func lp_ext4_funcs[] = {
	{ .old_name = "ext4_statfs", .new_func = lp_ext4_statfs },
	{ }
};
#endif

static struct klp_func lp_vmlinux_funcs[] = {
	{ .old_name = "uptime_proc_show", .new_func = lp_uptime_proc_show },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_vmlinux_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
		},
	},
#if IS_ENABLED(CONFIG_EXT4_FS)
	{ .name = "ext4", .funcs = lp_ext4_funcs },
#endif
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
