// SPDX-License-Identifier: GPL-2.0
/*
 * A cumulative (.replace) patch that publishes a tuning knob as a sysctl in
 * post_patch and removes it in pre_unpatch, with no klp_state. When the next
 * cumulative patch replaces this one, none of this patch's callbacks run:
 * the sysctl stays registered, its handler and data in a module that is
 * about to be removed, and nothing tells the next patch to take it over.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sysctl.h>

static int lp_retry_limit = 3;
static struct ctl_table_header *lp_sysctl_hdr;

static struct ctl_table lp_sysctl_table[] = {
	{
		.procname	= "livepatch_retry_limit",
		.data		= &lp_retry_limit,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec,
	},
	{ }
};

static void lp_post_patch(struct klp_object *obj)
{
	lp_sysctl_hdr = register_sysctl("kernel", lp_sysctl_table);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	if (lp_sysctl_hdr)
		unregister_sysctl_table(lp_sysctl_hdr);
	lp_sysctl_hdr = NULL;
}

static int lp_tcp_retransmit_skb(void *sk, void *skb, int segs)
{
	return READ_ONCE(lp_retry_limit) > 0 ? 0 : -EAGAIN;
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "tcp_retransmit_skb", .new_func = lp_tcp_retransmit_skb },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = { .post_patch = lp_post_patch, .pre_unpatch = lp_pre_unpatch },
	},
	{ }
};

static struct klp_patch lp_patch = { // expect KLP404
	.mod = THIS_MODULE,
	.objs = lp_objs,
	.replace = true,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
