// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks-era (4.15 to 5.0) livepatch whose module_init only registers the
 * patch: the administrator enables it by writing 1 to
 * /sys/kernel/livepatch/<patch>/enabled, and may disable and re-enable it.
 *
 * The vmlinux pre_patch builds the per-cpu-ish histogram once, remembering
 * that in a static flag; post_unpatch frees the histogram but leaves the flag
 * set. On a re-enable pre_patch skips the allocation, post_patch clears the
 * freed histogram, and the next disable frees it a second time.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define HIST_BUCKETS	16

struct lat_hist {
	unsigned int bucket[HIST_BUCKETS];
	unsigned int overflow;
};

static struct lat_hist *hist;
static bool hist_built;

#define LP_CALLBACKS(pre, post, post_un)	\
	{					\
		.pre_patch = pre,		\
		.post_patch = post,		\
		.post_unpatch = post_un,	\
	}

static int lp_schedule_timeout(long timeout)
{
	return 0;
}

static int hist_build(struct klp_object *obj)
{
	if (hist_built)
		return 0;
	hist = kcalloc(1, sizeof(*hist), GFP_KERNEL);
	if (!hist)
		return -ENOMEM;
	hist_built = true;
	return 0;
}

static void hist_reset(struct klp_object *obj)
{
	hist->overflow = 0; // expect KLP207
}

static void hist_drop(struct klp_object *obj)
{
	kfree(hist); // expect KLP205
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "schedule_timeout", .new_func = lp_schedule_timeout, },
	{ }
};

static struct klp_func nfsd_funcs[] = {
	{ .old_name = "nfsd_dispatch", .new_func = lp_schedule_timeout, },
	{ }
};

static struct klp_object lp_objects[] = {
	{
		.funcs = vmlinux_funcs,
		.callbacks = LP_CALLBACKS(hist_build, hist_reset, hist_drop),
	},
	{
		.name = "nfsd",
		.funcs = nfsd_funcs,
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objects,
};

static int __init lp_init(void)
{
	int err;

	err = klp_register_patch(&lp_patch);
	if (err)
		pr_err("cannot register the patch: %d\n", err);
	return err;
}

static void __exit lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&lp_patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
