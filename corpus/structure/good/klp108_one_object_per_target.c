// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: one object per target, all its functions together. */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cpuinfo_show(void *m, void *v)
{
	return 0;
}

static int lp_interrupts_show(void *m, void *v)
{
	return 0;
}

static int lp_br_dev_xmit(void *skb, void *dev)
{
	return 0;
}

static int lp_br_handle_frame(void *pskb)
{
	return 0;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "show_cpuinfo", .new_func = lp_cpuinfo_show, },
	{ .old_name = "show_interrupts", .new_func = lp_interrupts_show, },
	{ }
};

static struct klp_func bridge_funcs[] = {
	{ .old_name = "br_dev_xmit", .new_func = lp_br_dev_xmit, },
	{ .old_name = "br_handle_frame", .new_func = lp_br_handle_frame, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs, },
	{ .name = "bridge", .funcs = bridge_funcs, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
