// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API, 4.15 to 5.0): module_init only registers
 * the patch; it is enabled through /sys/kernel/livepatch/<patch>/enabled and
 * may be disabled and re-enabled there, since before 5.1 a disabled patch
 * stays registered. pre_patch allocates the counters once, guarded by a
 * static flag; post_unpatch frees them but leaves the flag set. On the
 * re-enable pre_patch counts into the freed counters, and the second disable
 * frees them again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

struct lp_counters {
	unsigned long enables;
	unsigned long hits;
};

static struct lp_counters *lp_cnt;
static bool lp_cnt_ready;

static int livepatch_cmdline_proc_show(void *m, void *v)
{
	return 0;
}

static int lp_pre_patch(struct klp_object *obj)
{
	if (!lp_cnt_ready) {
		lp_cnt = kzalloc(sizeof(*lp_cnt), GFP_KERNEL);
		if (!lp_cnt)
			return -ENOMEM;
		lp_cnt_ready = true;
	}
	lp_cnt->enables++; // expect KLP207
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kfree(lp_cnt); // expect KLP205
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
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

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_init(void)
{
	return klp_register_patch(&patch);
}

static void livepatch_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
