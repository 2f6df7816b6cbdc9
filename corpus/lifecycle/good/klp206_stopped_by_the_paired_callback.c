// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp206_thread_stopped_after_reversal.c:
 * the thread is stopped in pre_unpatch, the partner the core pairs with
 * post_patch (a reversed transition runs neither), and only if it runs.
 */
// expect-no-findings
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

static void lp_pre_unpatch(struct klp_object *obj)
{
	if (lp_scanner)
		kthread_stop(lp_scanner);
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
			.pre_unpatch = lp_pre_unpatch,
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
