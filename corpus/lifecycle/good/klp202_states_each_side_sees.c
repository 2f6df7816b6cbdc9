// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp202_pre_patch_waits_for_going.c:
 * pre_patch tells LIVE from COMING, post_unpatch tells LIVE from GOING.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static unsigned long lp_xfrm_patched_objects;

static int lp_xfrm_state_check(void *x)
{
	return 0;
}

static int lp_pre_patch_xfrm(struct klp_object *obj)
{
	if (obj->mod->state == MODULE_STATE_COMING)
		pr_info("%s loads with the fix\n", obj->mod->name);
	lp_xfrm_patched_objects++;
	return 0;
}

static void lp_post_unpatch_xfrm(struct klp_object *obj)
{
	switch (obj->mod->state) {
	case MODULE_STATE_GOING:
		pr_info("%s unloading\n", obj->mod->name);
		fallthrough;
	default:
		lp_xfrm_patched_objects--;
		break;
	}
}

static struct klp_func xfrm_funcs[] = {
	{
		.old_name = "xfrm_state_check",
		.new_func = lp_xfrm_state_check,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "xfrm_user",
		.funcs = xfrm_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch_xfrm,
			.post_unpatch = lp_post_unpatch_xfrm,
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
