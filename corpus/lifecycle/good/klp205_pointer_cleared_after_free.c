// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp205_freed_on_unload_and_exit.c:
 * post_unpatch clears the pointer after freeing it, so the defensive kfree()
 * in module_exit sees NULL.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

struct lp_crypt_state {
	unsigned int requeued;
	bool throttled;
};

static struct lp_crypt_state *lp_crypt;

static void lp_kcryptd_queue_crypt(void *io)
{
	if (lp_crypt)
		lp_crypt->requeued++;
}

static int lp_pre_patch_dm_crypt(struct klp_object *obj)
{
	lp_crypt = kzalloc(sizeof(*lp_crypt), GFP_KERNEL);
	return lp_crypt ? 0 : -ENOMEM;
}

static void lp_post_unpatch_dm_crypt(struct klp_object *obj)
{
	pr_info("%u requests requeued\n", lp_crypt->requeued);
	kfree(lp_crypt);
	lp_crypt = NULL;
}

static struct klp_func dm_crypt_funcs[] = {
	{
		.old_name = "kcryptd_queue_crypt",
		.new_func = lp_kcryptd_queue_crypt,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "dm_crypt",
		.funcs = dm_crypt_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch_dm_crypt,
			.post_unpatch = lp_post_unpatch_dm_crypt,
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
	kfree(lp_crypt);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
