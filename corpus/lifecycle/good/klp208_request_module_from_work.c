// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp208_request_module_from_callback.c:
 * post_patch queues a work item that asks for the module after the core has
 * dropped klp_mutex; module_exit waits for it.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kmod.h>
#include <linux/workqueue.h>

static int lp_sctp_diag_dump(void *skb, void *cb, const void *r)
{
	return 0;
}

static void lp_load_diag(struct work_struct *work)
{
	int ret = request_module("sctp_diag");

	if (ret)
		pr_warn("sctp_diag not loaded: %d\n", ret);
}

static DECLARE_WORK(lp_load_work, lp_load_diag);

static void lp_post_patch(struct klp_object *obj)
{
	schedule_work(&lp_load_work);
}

static struct klp_func sctp_funcs[] = {
	{
		.old_name = "sctp_diag_dump",
		.new_func = lp_sctp_diag_dump,
	},
	{ }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = no_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
		},
	},
	{
		.name = "sctp_diag",
		.funcs = sctp_funcs,
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
	flush_work(&lp_load_work);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
