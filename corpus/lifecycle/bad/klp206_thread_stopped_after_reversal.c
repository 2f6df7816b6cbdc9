// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: a background thread rescans the page cache while the patch
 * is active. It is started in post_patch (after the transition) and stopped
 * in post_unpatch. When the transition stalls and the patch is disabled, the
 * core reverses the transition: post_patch never ran, but post_unpatch does,
 * and kthread_stop(NULL) oopses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/err.h>

static struct task_struct *lp_scanner;

static int lp_scan_fn(void *data)
{
	while (!kthread_should_stop())
		msleep(1000);
	return 0;
}

static unsigned long lp_shrink_page_list(void *page_list, void *pgdat, void *sc)
{
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	lp_scanner = kthread_run(lp_scan_fn, NULL, "lp-scan");
	if (IS_ERR(lp_scanner)) {
		pr_warn("no scanner thread: %ld\n", PTR_ERR(lp_scanner));
		lp_scanner = NULL;
	}
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kthread_stop(lp_scanner); // expect KLP206
	lp_scanner = NULL;
}

static struct klp_func funcs[] = {
	{
		.old_name = "shrink_page_list",
		.new_func = lp_shrink_page_list,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.post_unpatch = lp_post_unpatch,
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
