// SPDX-License-Identifier: GPL-2.0
/*
 * A fix that counts the retransmits the patched function sees. The counter
 * block is allocated by a helper that post_patch calls, and freed in
 * pre_unpatch: both are the wrong side. The new tcp_retransmit_timer()
 * runs for a task as soon as that task switches, at the start of the
 * transition, long before post_patch; and it keeps running for tasks not
 * yet switched back after pre_unpatch freed the block.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/atomic.h>

struct rtx_stats {
	atomic_long_t retransmits;
	atomic_long_t backoffs;
};

static struct rtx_stats *rtx;

static struct rtx_stats *rtx_stats_new(void)
{
	return kzalloc(sizeof(struct rtx_stats), GFP_KERNEL);
}

static void rtx_account(int backoff)
{
	atomic_long_inc(&rtx->retransmits); // expect KLP216
	if (backoff)
		atomic_long_inc(&rtx->backoffs);
}

static void lp_tcp_retransmit_timer(void *sk)
{
	rtx_account(1);
}

static void rtx_post_patch(struct klp_object *obj)
{
	rtx = rtx_stats_new();
}

static void rtx_pre_unpatch(struct klp_object *obj)
{
	if (rtx)
		pr_info("rtx: %ld retransmits\n", atomic_long_read(&rtx->retransmits));
	kfree(rtx);
	rtx = NULL;
}

static struct klp_func rtx_funcs[] = {
	{ .old_name = "tcp_retransmit_timer", .new_func = lp_tcp_retransmit_timer },
	{ }
};

static struct klp_object rtx_objs[] = {
	{
		.funcs = rtx_funcs,
		.callbacks = {
			.post_patch = rtx_post_patch,
			.pre_unpatch = rtx_pre_unpatch,
		},
	},
	{ }
};

static struct klp_patch rtx_patch = {
	.mod = THIS_MODULE,
	.objs = rtx_objs,
};

static int __init rtx_init(void)
{
	return klp_enable_patch(&rtx_patch);
}

static void __exit rtx_exit(void)
{
}

module_init(rtx_init);
module_exit(rtx_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
