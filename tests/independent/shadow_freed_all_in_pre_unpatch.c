// SPDX-License-Identifier: GPL-2.0
/*
 * The replacement of a block-layer function attaches a shadow timestamp
 * to each request it sees. The cleanup is klp_shadow_free_all() in
 * pre_unpatch: but tasks not yet switched back keep running the new
 * function after pre_unpatch, attaching timestamps nothing frees any more
 * (post_unpatch is empty and module_exit does nothing).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/ktime.h>

#define LPB_SV_STAMP 0x1b10

static void lpb_blk_account_io_start(void *rq)
{
	u64 *stamp = klp_shadow_get_or_alloc(rq, LPB_SV_STAMP, sizeof(*stamp), GFP_ATOMIC, // expect KLP303
					     NULL, NULL);

	if (stamp)
		*stamp = ktime_get_ns();
}

static void lpb_pre_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(LPB_SV_STAMP, NULL);
}

static struct klp_func lpb_funcs[] = {
	{ .old_name = "blk_account_io_start", .new_func = lpb_blk_account_io_start },
	{ }
};

static struct klp_object lpb_objs[] = {
	{
		.funcs = lpb_funcs,
		.callbacks = { .pre_unpatch = lpb_pre_unpatch },
	},
	{ }
};

static struct klp_patch lpb_patch = {
	.mod = THIS_MODULE,
	.objs = lpb_objs,
};

static int __init lpb_init(void)
{
	return klp_enable_patch(&lpb_patch);
}

static void __exit lpb_exit(void)
{
}

module_init(lpb_init);
module_exit(lpb_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
