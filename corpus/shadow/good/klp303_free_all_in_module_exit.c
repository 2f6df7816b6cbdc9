// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp303_counter_left_attached.c:
 * module_exit detaches the counters of the dummies still alive.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/jiffies.h>

#define LP_SV_COUNTER	2

struct dummy {
	struct list_head list;
	unsigned long jiffies_expire;
};

static bool lp_dummy_check(struct dummy *d, unsigned long now)
{
	int *count;

	count = klp_shadow_get_or_alloc(d, LP_SV_COUNTER, sizeof(*count), GFP_NOWAIT, NULL, NULL);
	if (count)
		*count += 1;
	return time_after(now, d->jiffies_expire);
}

static void lp_dummy_free(struct dummy *d)
{
	int *count = klp_shadow_get(d, LP_SV_COUNTER);

	if (count) {
		pr_info("dummy @ %p checked %d times\n", d, *count);
		klp_shadow_free(d, LP_SV_COUNTER, NULL);
	}
	kfree(d);
}

static struct klp_func funcs[] = {
	{
		.old_name = "dummy_check",
		.new_func = lp_dummy_check,
	},
	{
		.old_name = "dummy_free",
		.new_func = lp_dummy_free,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "livepatch_shadow_mod",
		.funcs = funcs,
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
	klp_shadow_free_all(LP_SV_COUNTER, NULL);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
