// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the fix for the sctp diag handler needs sctp_diag loaded,
 * so post_patch asks for it. The core runs post_patch with klp_mutex held;
 * modprobe's load of sctp_diag calls klp_module_coming(), which waits for
 * klp_mutex, and request_module() waits for modprobe: nothing moves again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kmod.h>

static int lp_sctp_diag_dump(void *skb, void *cb, const void *r)
{
	return 0;
}

static void lp_load_diag(void)
{
	int ret = request_module("sctp_diag"); // expect KLP208

	if (ret)
		pr_warn("sctp_diag not loaded: %d\n", ret);
}

static void lp_post_patch(struct klp_object *obj)
{
	lp_load_diag();
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
