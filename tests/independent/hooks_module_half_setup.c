// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks era, two objects (vmlinux and the nfsd module), registered and
 * enabled from module_init with unwinding. nfsd's patch hook creates a slab
 * cache and then registers a module notifier; when the registration fails
 * it returns the error with the cache still created, as if that stopped
 * patching. The core only logs it: nfsd is patched with half the setup.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/notifier.h>

struct lp_export_note {
	unsigned long flags;
};

static struct kmem_cache *lp_note_cache;

static int lp_mod_event(struct notifier_block *nb, unsigned long ev, void *data)
{
	return NOTIFY_OK;
}

static struct notifier_block lp_mod_nb = { .notifier_call = lp_mod_event };

static int lp_nfsd_setup(struct klp_object *obj)
{
	int ret;

	lp_note_cache = kmem_cache_create("lp_export_note", sizeof(struct lp_export_note), 0, 0, NULL);
	if (!lp_note_cache)
		return -ENOMEM;
	ret = register_module_notifier(&lp_mod_nb);
	if (ret)
		return ret; // expect KLP203
	return 0;
}

static int lp_nfsd_teardown(struct klp_object *obj)
{
	unregister_module_notifier(&lp_mod_nb);
	kmem_cache_destroy(lp_note_cache);
	lp_note_cache = NULL;
	return 0;
}

static int lp_nfsd_exp_flags(void *exp) { return 0; }
static int lp_version_show(struct seq_file *m, void *v) { return 0; }

static struct klp_hook lp_nfsd_patch_hooks[] = { { .hook = lp_nfsd_setup }, { } };
static struct klp_hook lp_nfsd_unpatch_hooks[] = { { .hook = lp_nfsd_teardown }, { } };

static struct klp_func lp_vmlinux_funcs[] = {
	{ .old_name = "version_proc_show", .new_func = lp_version_show },
	{ }
};

static struct klp_func lp_nfsd_funcs[] = {
	{ .old_name = "exp_flags", .new_func = lp_nfsd_exp_flags },
	{ }
};

static struct klp_object lp_objs[] = {
	{ .funcs = lp_vmlinux_funcs },
	{
		.name = "nfsd",
		.funcs = lp_nfsd_funcs,
		.patch_hooks = lp_nfsd_patch_hooks,
		.unpatch_hooks = lp_nfsd_unpatch_hooks,
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	int ret;

	ret = klp_register_patch(&lp_patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&lp_patch);
	if (ret)
		goto err_unregister;
	return 0;

err_unregister:
	WARN_ON(klp_unregister_patch(&lp_patch));
	return ret;
}

static void __exit lp_exit(void)
{
	WARN_ON(klp_unregister_patch(&lp_patch));
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
