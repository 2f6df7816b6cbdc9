// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (hooks API): the correct twin of klp204_leak_over_reenable.c:
 * the unpatch hook frees the sample buffer and clears the pointer, so a
 * disable/re-enable cycle starts from nothing.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kprobes.h>
#include <linux/slab.h>

#define LP_SAMPLES 64

static unsigned long *lp_samples;
static unsigned int lp_next;

static int lp_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe lp_kp = {
	.symbol_name = "do_sys_openat2",
	.pre_handler = lp_kp_pre,
};

static long lp_do_sys_open(int dfd, const char *filename, int flags, unsigned short mode)
{
	if (lp_samples)
		lp_samples[lp_next++ % LP_SAMPLES] = flags;
	return -ENOSYS;
}

static int lp_patch_hook(struct klp_object *obj)
{
	lp_samples = kcalloc(LP_SAMPLES, sizeof(*lp_samples), GFP_KERNEL);
	if (!lp_samples)
		return -ENOMEM;
	if (register_kprobe(&lp_kp))
		pr_warn("no kprobe on %s, sampling only\n", lp_kp.symbol_name);
	return 0;
}

static int lp_unpatch_hook(struct klp_object *obj)
{
	unregister_kprobe(&lp_kp);
	kfree(lp_samples);
	lp_samples = NULL;
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "do_sys_open",
		.new_func = lp_do_sys_open,
	},
	{ }
};

static struct klp_hook patch_hooks[] = {
	{ .hook = lp_patch_hook },
	{ }
};

static struct klp_hook unpatch_hooks[] = {
	{ .hook = lp_unpatch_hook },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.patch_hooks = patch_hooks,
		.unpatch_hooks = unpatch_hooks,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int lp_init(void)
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

static void lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
