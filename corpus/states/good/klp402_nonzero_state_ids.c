// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp402_state_zero_in_the_middle.c:
 * every state has a non-zero id, and the only empty entry is the last.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LP_SYSRQ_STATE		2
#define LP_LOGLEVEL_STATE	1

static int lp_sysrq_handle_loglevel(int key)
{
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "sysrq_handle_loglevel",
		.new_func = lp_sysrq_handle_loglevel,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
	},
	{ }
};

static struct klp_state states[] = {
	{
		.id = LP_SYSRQ_STATE,
		.version = 1,
	},
	{
		.id = LP_LOGLEVEL_STATE,
		.version = 2,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
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
