// SPDX-License-Identifier: GPL-2.0
/*
 * post_patch registers a reboot notifier that flushes the patch's pending
 * audit records, guarded by a flag so a second post_patch (a disable that
 * is reversed half-way) does not register it twice. pre_unpatch returns
 * early when no record is pending, before the unregister: after a disable
 * with nothing pending the notifier stays on the reboot chain, pointing
 * into the livepatch module once it is removed.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/atomic.h>

static atomic_t lp_pending = ATOMIC_INIT(0);
static bool lp_nb_registered;

static int lp_reboot_flush(struct notifier_block *nb, unsigned long action, void *data)
{
	if (atomic_xchg(&lp_pending, 0))
		pr_info("livepatch: flushed pending audit records\n");
	return NOTIFY_DONE;
}

static struct notifier_block lp_reboot_nb = {
	.notifier_call = lp_reboot_flush,
	.priority = 0,
};

static long livepatch_ksys_sync_file_range(int fd, long long offset, long long nbytes,
					   unsigned int flags)
{
	atomic_inc(&lp_pending);
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	if (lp_nb_registered)
		return;
	if (register_reboot_notifier(&lp_reboot_nb)) // expect KLP204
		return;
	lp_nb_registered = true;
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	if (!atomic_read(&lp_pending))
		return;		/* nothing to flush, and nothing unregistered either */
	lp_reboot_flush(&lp_reboot_nb, 0, NULL);
	if (lp_nb_registered) {
		unregister_reboot_notifier(&lp_reboot_nb);
		lp_nb_registered = false;
	}
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "ksys_sync_file_range",
		.new_func = livepatch_ksys_sync_file_range,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
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
