// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp403_prev_state_in_module_init.c:
 * pre_patch, which runs during the transition, asks for the predecessor's
 * state.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/printk.h>

#define LP_LOGLEVEL_STATE	1

static bool lp_take_over;
static int lp_saved_loglevel;

static struct klp_patch patch;

static int lp_vprintk_emit(int facility, int level, const char *dict, size_t dictlen,
			   const char *fmt, va_list args)
{
	return 0;
}

static int lp_pre_patch(struct klp_object *obj)
{
	lp_take_over = klp_get_prev_state(LP_LOGLEVEL_STATE) != NULL;
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	if (lp_take_over)
		return;
	lp_saved_loglevel = console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	console_loglevel = lp_saved_loglevel;
}

static struct klp_func funcs[] = {
	{
		.old_name = "vprintk_emit",
		.new_func = lp_vprintk_emit,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_patch = lp_post_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_state states[] = {
	{
		.id = LP_LOGLEVEL_STATE,
		.version = 1,
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
