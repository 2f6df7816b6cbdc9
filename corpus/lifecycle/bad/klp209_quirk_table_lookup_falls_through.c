// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API): pre_patch asks a table of CPU quirks
 * whether the fix may go in. The lookup returns from inside its loop when
 * the quirk is listed, but an unlisted quirk walks off the end of the
 * lookup, and the wrapper and pre_patch pass on what was left in the
 * return register: loading the patch fails or succeeds at random.
 *
 * kbuild compiles with -Werror=return-type, so this ships only where the
 * warning is silenced, as the tree this file stands for does.
 */
#pragma GCC diagnostic ignored "-Wreturn-type"
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cpu_quirk;
module_param(lp_cpu_quirk, int, 0444);
MODULE_PARM_DESC(lp_cpu_quirk, "the quirk id the boot code found");

struct lp_quirk {
	int id;
	bool blocks_patch;
};

static const struct lp_quirk lp_quirks[] = {
	{ .id = 3, .blocks_patch = false },
	{ .id = 7, .blocks_patch = true },
	{ .id = 12, .blocks_patch = false },
};

static int lp_quirk_verdict(int id) // expect KLP209
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lp_quirks); i++) {
		if (lp_quirks[i].id != id)
			continue;
		if (lp_quirks[i].blocks_patch) {
			pr_info("quirk %d: not patching\n", id);
			return -EOPNOTSUPP;
		}
		return 0;
	}
}

static int lp_cpu_allows_patch(void)
{
	return lp_quirk_verdict(lp_cpu_quirk);
}

static int lp_pre_patch(struct klp_object *obj)
{
	return lp_cpu_allows_patch();
}

static int lp_intel_pstate_update(void *cpudata)
{
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "intel_pstate_update_util",
		.new_func = lp_intel_pstate_update,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
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
