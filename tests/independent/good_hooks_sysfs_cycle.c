// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean hooks-era patch: registered at load, enabled and disabled through
 * sysfs any number of times. The patch hook is idempotent, the unpatch hook
 * releases and clears, module_exit unregisters.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

static char *banner;

static int banner_on(struct klp_object *obj)
{
	if (!banner)
		banner = kstrdup("patched", GFP_KERNEL);
	return banner ? 0 : -ENOMEM;
}

static int banner_off(struct klp_object *obj)
{
	kfree(banner);
	banner = NULL;
	return 0;
}

static int lp_version_show(struct seq_file *m, void *v)
{
	return 0;
}

static struct klp_hook on_hooks[] = { { .hook = banner_on }, { } };
static struct klp_hook off_hooks[] = { { .hook = banner_off }, { } };

static struct klp_func funcs[] = {
	{ .old_name = "version_proc_show", .new_func = lp_version_show },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, .patch_hooks = on_hooks, .unpatch_hooks = off_hooks },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	int ret = klp_register_patch(&patch);

	if (ret)
		pr_err("cannot register: %d\n", ret);
	return ret;
}

static void __exit lp_exit(void)
{
	klp_unregister_patch(&patch);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
