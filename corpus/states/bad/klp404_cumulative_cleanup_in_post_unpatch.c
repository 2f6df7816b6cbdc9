// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: a cumulative patch (.replace = true) keeps a table of
 * blocked ioctl numbers that its pre_patch allocates and its post_unpatch
 * frees. When the next cumulative patch replaces this one, the core runs
 * none of this patch's callbacks: the table is never freed, and nothing
 * tells the next patch it exists (no klp_state).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_NR_BLOCKED	16

static unsigned int *lp_blocked;

static long lp_blkdev_ioctl(void *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static int lp_pre_patch(struct klp_object *obj)
{
	lp_blocked = kcalloc(LP_NR_BLOCKED, sizeof(*lp_blocked), GFP_KERNEL);
	return lp_blocked ? 0 : -ENOMEM;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kfree(lp_blocked);
	lp_blocked = NULL;
}

static struct klp_func funcs[] = {
	{
		.old_name = "blkdev_ioctl",
		.new_func = lp_blkdev_ioctl,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = { // expect KLP404
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
