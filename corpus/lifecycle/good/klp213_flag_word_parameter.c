// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp213_option_matrix.c: the options
 * come in as one flag word, and pre_patch only validates it; a few paths,
 * all of them explored.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define LP_TCP_ALL_FLAGS	0xfffu

static unsigned int lp_tcp_options;
module_param(lp_tcp_options, uint, 0644);
MODULE_PARM_DESC(lp_tcp_options, "TCP behaviour flags (bit 0 sack ... bit 11 bbr)");

static unsigned int lp_tcp_flags;

static int lp_tcp_ack(void *sk, const void *skb, int flag)
{
	return flag & lp_tcp_flags;
}

static int lp_pre_patch(struct klp_object *obj)
{
	if (lp_tcp_options & ~LP_TCP_ALL_FLAGS) {
		pr_err("unknown option bits %#x\n", lp_tcp_options & ~LP_TCP_ALL_FLAGS);
		return -EINVAL;
	}
	lp_tcp_flags = lp_tcp_options;
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
