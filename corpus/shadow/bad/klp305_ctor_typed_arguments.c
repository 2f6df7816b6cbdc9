// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the shadow constructor and destructor were written with
 * the types the author had in mind and cast to klp_shadow_ctor_t and
 * klp_shadow_dtor_t to silence the compiler. The core calls them through
 * the API's prototypes; with kCFI the mismatched indirect calls trap.
 */
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

static void lp_owner_ctor(struct lp_pipe *pipe, struct lp_owner *owner)
{
	owner->uid = -1;
}

static int lp_owner_dtor(struct lp_pipe *pipe, struct lp_owner *owner)
{
	return 0;
}

static int lp_pipe_open(struct lp_pipe *pipe)
{
	struct lp_owner *owner;

	owner = klp_shadow_get_or_alloc(pipe, LP_SV_OWNER, sizeof(*owner), GFP_ATOMIC,
					(klp_shadow_ctor_t)lp_owner_ctor, NULL); // expect KLP305
	return owner ? 0 : -ENOMEM;
}

static void lp_pipe_release(struct lp_pipe *pipe)
{
	klp_shadow_free(pipe, LP_SV_OWNER, (klp_shadow_dtor_t)lp_owner_dtor); // expect KLP305
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
