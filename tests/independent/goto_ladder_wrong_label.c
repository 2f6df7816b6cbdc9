// SPDX-License-Identifier: GPL-2.0
/*
 * pre_patch sets up four things with a goto ladder: a scratch buffer, a
 * workqueue, a kthread and a reboot notifier. When the kthread cannot be
 * started it jumps to the label that only frees the buffer, skipping the
 * workqueue: pre_patch fails, post_unpatch never runs for the object, and
 * the workqueue leaks.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/kthread.h>
#include <linux/reboot.h>
#include <linux/notifier.h>
#include <linux/err.h>

static void *lp_scratch;
static struct workqueue_struct *lp_wq;
static struct task_struct *lp_thread;

static int lp_thread_fn(void *data)
{
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int lp_reboot(struct notifier_block *nb, unsigned long action, void *data)
{
	return NOTIFY_DONE;
}

static struct notifier_block lp_reboot_nb = { .notifier_call = lp_reboot };

static int lp_pre_patch(struct klp_object *obj)
{
	int ret;

	lp_scratch = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!lp_scratch)
		return -ENOMEM;

	lp_wq = alloc_workqueue("lp_flush", WQ_UNBOUND, 0);
	if (!lp_wq) {
		ret = -ENOMEM;
		goto err_scratch;
	}

	lp_thread = kthread_run(lp_thread_fn, NULL, "lp_flushd");
	if (IS_ERR(lp_thread)) {
		ret = PTR_ERR(lp_thread);
		lp_thread = NULL;
		goto err_scratch;
	}

	ret = register_reboot_notifier(&lp_reboot_nb);
	if (ret)
		goto err_thread;
	return 0;

err_thread:
	kthread_stop(lp_thread);
	lp_thread = NULL;
	destroy_workqueue(lp_wq);
	lp_wq = NULL;
err_scratch:
	kfree(lp_scratch);
	lp_scratch = NULL;
	return ret; // expect KLP210
}

static void lp_post_unpatch(struct klp_object *obj)
{
	unregister_reboot_notifier(&lp_reboot_nb);
	kthread_stop(lp_thread);
	lp_thread = NULL;
	destroy_workqueue(lp_wq);
	lp_wq = NULL;
	kfree(lp_scratch);
	lp_scratch = NULL;
}

static int lp_do_sync(void *unused)
{
	return 0;
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "ksys_sync", .new_func = lp_do_sync },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
