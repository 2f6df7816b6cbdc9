// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp401_state_id_typo.c: the callbacks
 * use the declared state id.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/printk.h>

#define LP_LOGLEVEL_STATE	1

static struct klp_patch patch;

static int lp_dump_stack_print_info(const char *log_lvl)
{
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&patch, LP_LOGLEVEL_STATE);

	if (!state)
		return;
	state->data = (void *)(long)console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	struct klp_state *state = klp_get_state(&patch, LP_LOGLEVEL_STATE);

	if (state)
		console_loglevel = (int)(long)state->data;
}

static struct klp_func funcs[] = {
	{
		.old_name = "dump_stack_print_info",
		.new_func = lp_dump_stack_print_info,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
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
