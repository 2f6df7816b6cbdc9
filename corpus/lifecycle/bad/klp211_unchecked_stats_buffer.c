// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: post_patch allocates the per-CPU-count statistics buffer
 * with GFP_ATOMIC (the author wanted to be safe) and fills it without
 * checking that the allocation succeeded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/cpumask.h>

struct lp_irq_stats {
	unsigned int nr_cpus;
	unsigned long spurious;
};

static struct lp_irq_stats *lp_stats;

static int lp_note_interrupt(void *desc, int action_ret)
{
	if (lp_stats && action_ret == 0)
		lp_stats->spurious++;
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	lp_stats = kzalloc(sizeof(*lp_stats), GFP_ATOMIC);
	lp_stats->nr_cpus = num_online_cpus(); // expect KLP211
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kfree(lp_stats);
	lp_stats = NULL;
}

static struct klp_func funcs[] = {
	{
		.old_name = "note_interrupt",
		.new_func = lp_note_interrupt,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
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
