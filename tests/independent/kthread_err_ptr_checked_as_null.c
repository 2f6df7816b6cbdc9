// SPDX-License-Identifier: GPL-2.0
/*
 * pre_patch starts a scrubber thread for the fix and tests the result the
 * way one tests kmalloc(): for NULL. kthread_run() never returns NULL; it
 * fails with an error pointer, which passes the test, so the patch is
 * enabled with the error pointer stored, and post_unpatch hands it to
 * kthread_stop().
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kthread.h>
#include <linux/delay.h>

static struct task_struct *lpt_scrubber;

static int lpt_scrub(void *unused)
{
	while (!kthread_should_stop())
		msleep(1000);
	return 0;
}

static int lpt_pre_patch(struct klp_object *obj)
{
	lpt_scrubber = kthread_run(lpt_scrub, NULL, "lp-scrub");
	if (!lpt_scrubber)
		return -ENOMEM;
	return 0;
}

static void lpt_post_unpatch(struct klp_object *obj)
{
	kthread_stop(lpt_scrubber); // expect KLP211
	lpt_scrubber = NULL;
}

static int lpt_md_do_sync(void *thread) { return 0; }

static struct klp_func lpt_funcs[] = {
	{ .old_name = "md_do_sync", .new_func = lpt_md_do_sync },
	{ }
};

static struct klp_object lpt_objs[] = {
	{
		.name = "md_mod",
		.funcs = lpt_funcs,
		.callbacks = {
			.pre_patch = lpt_pre_patch,
			.post_unpatch = lpt_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objs,
};

static int __init lpt_init(void)
{
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_exit(void)
{
}

module_init(lpt_init);
module_exit(lpt_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
