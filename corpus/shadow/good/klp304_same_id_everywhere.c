// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp304_shadow_id_typo.c: allocation,
 * lookup and free use the same id.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_SV_TIMEOUT	0x4c500010

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
	if (klp_shadow_get(xprt, LP_SV_TIMEOUT))
		klp_shadow_free(xprt, LP_SV_TIMEOUT, NULL);
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
