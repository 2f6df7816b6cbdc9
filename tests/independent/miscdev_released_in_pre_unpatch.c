// SPDX-License-Identifier: GPL-2.0
/*
 * pre_patch registers a misc device (through a helper) that exposes the
 * patch's counters; pre_unpatch deregisters it. pre_unpatch only runs when
 * post_patch ran: when the patching transition is reversed, or never
 * starts, only post_unpatch runs, and the device stays registered with its
 * file operations inside the removed livepatch module.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>

static atomic_t lp_hits;

static ssize_t lp_dev_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	return 0;
}

static const struct file_operations lp_dev_fops = {
	.owner = THIS_MODULE,
	.read = lp_dev_read,
};

static struct miscdevice lp_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lp_counters",
	.fops = &lp_dev_fops,
};

static int lp_dev_up(void)
{
	return misc_register(&lp_dev); // expect KLP204
}

static void lp_dev_down(void)
{
	misc_deregister(&lp_dev);
}

static int lp_pre_patch(struct klp_object *obj)
{
	return lp_dev_up();
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	lp_dev_down();
}

static int lp_schedstat_show(struct seq_file *m, void *v)
{
	atomic_inc(&lp_hits);
	return 0;
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "show_schedstat", .new_func = lp_schedstat_show },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.pre_unpatch = lp_pre_unpatch,
		},
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
