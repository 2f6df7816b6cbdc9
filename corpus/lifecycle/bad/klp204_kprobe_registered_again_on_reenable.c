// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API, 4.15 to 5.0): module_init registers the
 * patch and enables it; a disabled patch stays registered before 5.1, so the
 * administrator may enable it again through sysfs. post_patch arms a kprobe
 * that counts calls of the original function; pre_unpatch only stops
 * counting, and the kprobe is unregistered in module_exit. The re-enable's
 * post_patch registers the kprobe that is still registered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kprobes.h>

static bool lp_counting;
static unsigned long lp_calls;

static int lp_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (READ_ONCE(lp_counting))
		lp_calls++;
	return 0;
}

static struct kprobe lp_kp = {
	.symbol_name = "meminfo_proc_show",
	.pre_handler = lp_kp_pre,
};

static int livepatch_meminfo_proc_show(void *m, void *v)
{
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	if (register_kprobe(&lp_kp)) // expect KLP204
		return;
	WRITE_ONCE(lp_counting, true);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	WRITE_ONCE(lp_counting, false);
}

static struct klp_func funcs[] = {
	{
		.old_name = "meminfo_proc_show",
		.new_func = livepatch_meminfo_proc_show,
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

static int livepatch_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void livepatch_exit(void)
{
	unregister_kprobe(&lp_kp);
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
