// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp305_ctor_typed_arguments.c: the
 * constructor and destructor have the API's prototypes and convert inside.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_SV_OWNER	0x4c500020

struct lp_owner {
	int uid;
};

struct lp_pipe {
	unsigned int readers;
};

static int lp_owner_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct lp_owner *owner = shadow_data;

	owner->uid = -1;
	return 0;
}

static void lp_owner_dtor(void *obj, void *shadow_data)
{
	struct lp_owner *owner = shadow_data;

	owner->uid = 0;
}

static int lp_pipe_open(struct lp_pipe *pipe)
{
	struct lp_owner *owner;

	owner = klp_shadow_get_or_alloc(pipe, LP_SV_OWNER, sizeof(*owner), GFP_ATOMIC,
					lp_owner_ctor, NULL);
	return owner ? 0 : -ENOMEM;
}

static void lp_pipe_release(struct lp_pipe *pipe)
{
	klp_shadow_free(pipe, LP_SV_OWNER, lp_owner_dtor);
}

static struct klp_func funcs[] = {
	{
		.old_name = "fifo_open",
		.new_func = lp_pipe_open,
	},
	{
		.old_name = "pipe_release",
		.new_func = lp_pipe_release,
	},
	{ }
};

static struct klp_object objs[] = {
	{
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
	klp_shadow_free_all(LP_SV_OWNER, NULL);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
