// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: pre_patch turns a dozen boolean module parameters into a
 * flag word, one test after the other. Every combination is a path: more
 * than the executor's path budget, so klplint gives no verdict for the paths
 * of this callback beyond that point and says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static bool lp_opt_sack, lp_opt_dsack, lp_opt_fack, lp_opt_ecn, lp_opt_tw, lp_opt_frto;
static bool lp_opt_mtu, lp_opt_rack, lp_opt_tlp, lp_opt_pacing, lp_opt_cubic, lp_opt_bbr;
module_param(lp_opt_sack, bool, 0644);
module_param(lp_opt_dsack, bool, 0644);
module_param(lp_opt_fack, bool, 0644);
module_param(lp_opt_ecn, bool, 0644);
module_param(lp_opt_tw, bool, 0644);
module_param(lp_opt_frto, bool, 0644);
module_param(lp_opt_mtu, bool, 0644);
module_param(lp_opt_rack, bool, 0644);
module_param(lp_opt_tlp, bool, 0644);
module_param(lp_opt_pacing, bool, 0644);
module_param(lp_opt_cubic, bool, 0644);
module_param(lp_opt_bbr, bool, 0644);

static unsigned int lp_tcp_flags;

static int lp_tcp_ack(void *sk, const void *skb, int flag)
{
	return flag & lp_tcp_flags;
}

static int lp_pre_patch(struct klp_object *obj) // expect KLP213
{
	unsigned int flags = 0;

	if (lp_opt_sack)
		flags |= 1 << 0;
	if (lp_opt_dsack)
		flags |= 1 << 1;
	if (lp_opt_fack)
		flags |= 1 << 2;
	if (lp_opt_ecn)
		flags |= 1 << 3;
	if (lp_opt_tw)
		flags |= 1 << 4;
	if (lp_opt_frto)
		flags |= 1 << 5;
	if (lp_opt_mtu)
		flags |= 1 << 6;
	if (lp_opt_rack)
		flags |= 1 << 7;
	if (lp_opt_tlp)
		flags |= 1 << 8;
	if (lp_opt_pacing)
		flags |= 1 << 9;
	if (lp_opt_cubic)
		flags |= 1 << 10;
	if (lp_opt_bbr)
		flags |= 1 << 11;
	lp_tcp_flags = flags;
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "tcp_ack",
		.new_func = lp_tcp_ack,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
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
