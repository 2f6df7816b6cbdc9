// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: two shadow ids with near-identical names. The allocation
 * uses LP_SV_TIMEOUT; the lookup in the replacement free function was
 * written with LP_SV_TIMEOUTS, an id nothing allocates: the lookup always
 * fails and the timeouts are never released (the free_all in module_exit
 * papers over it at unload).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_SV_TIMEOUT	0x4c500010
#define LP_SV_TIMEOUTS	0x4c500011

struct lp_timeout {
	unsigned long deadline;
};

static void lp_xprt_init(void *xprt, unsigned long timeout)
{
	struct lp_timeout *t;

	t = klp_shadow_get_or_alloc(xprt, LP_SV_TIMEOUT, sizeof(*t), GFP_ATOMIC, NULL, NULL);
	if (t)
		t->deadline = timeout;
}

static void lp_xprt_destroy(void *xprt)
{
	if (klp_shadow_get(xprt, LP_SV_TIMEOUTS)) // expect KLP304
		klp_shadow_free(xprt, LP_SV_TIMEOUTS, NULL); // expect KLP304
}

static struct klp_func sunrpc_funcs[] = {
	{
		.old_name = "xprt_init",
		.new_func = lp_xprt_init,
	},
	{
		.old_name = "xprt_destroy",
		.new_func = lp_xprt_destroy,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "sunrpc",
		.funcs = sunrpc_funcs,
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
	klp_shadow_free_all(LP_SV_TIMEOUT, NULL);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
