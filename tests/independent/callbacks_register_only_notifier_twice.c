// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks-era livepatch registered by module_init (enabled later through
 * sysfs). Each enable's post_patch hooks a reboot notifier so that the fix is
 * reverted before kexec; nothing unhooks it when the patch is disabled, only
 * module_exit does. Disabling and re-enabling the patch through sysfs
 * registers the same notifier_block a second time while it is still on the
 * chain, which corrupts the chain.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/notifier.h>
#include <linux/reboot.h>

static int lp_on_reboot(struct notifier_block *nb, unsigned long code, void *unused)
{
	return NOTIFY_DONE;
}

static struct notifier_block lp_reboot_nb = {
	.notifier_call = lp_on_reboot,
	.priority = 10,
};

static void lp_arm(struct klp_object *obj)
{
	if (register_reboot_notifier(&lp_reboot_nb)) // expect KLP204
		pr_warn("no reboot notifier\n");
}

static int lp_kernel_restart_prepare(const char *cmd)
{
	return 0;
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "kernel_restart_prepare",
		.new_func = lp_kernel_restart_prepare,
	}, { }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = { .post_patch = lp_arm },
	}, { }
};

static struct klp_patch lp_reboot_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_reboot_init(void)
{
	int ret = klp_register_patch(&lp_reboot_patch);

	if (ret)
		goto out;
	pr_info("registered, enable through sysfs\n");
out:
	return ret;
}

static void __exit lp_reboot_exit(void)
{
	unregister_reboot_notifier(&lp_reboot_nb);
	WARN_ON(klp_unregister_patch(&lp_reboot_patch));
}

module_init(lp_reboot_init);
module_exit(lp_reboot_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
