// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: a hooks-era patch with two objects, registered by
 * module_init and enabled later through /sys/kernel/livepatch/<patch>/enabled.
 * The hook tables are built by a macro and both objects share one pair of
 * hooks that keep a per-object buffer in a slot array. The unpatch hook only
 * frees the vmlinux slot: every sysfs disable leaks the nfsd slot's buffer,
 * and every re-enable allocates it again.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_SLOTS	2
#define LP_HOOK_TABLE(name, fn)	static struct klp_hook name[] = { { .hook = fn }, { } }

static void *lp_slot[LP_SLOTS];

static unsigned int slot_of(struct klp_object *obj)
{
	return obj->name ? 1 : 0;
}

static int slot_fill(struct klp_object *obj)
{
	unsigned int i = slot_of(obj);

	if (!lp_slot[i])
		lp_slot[i] = kzalloc(256, GFP_KERNEL); // expect KLP204
	return lp_slot[i] ? 0 : -ENOMEM;
}

static int slot_drain(struct klp_object *obj)
{
	if (!obj->name) {
		kfree(lp_slot[0]);
		lp_slot[0] = NULL;
	}
	return 0;
}

LP_HOOK_TABLE(lp_fill_hooks, slot_fill);
LP_HOOK_TABLE(lp_drain_hooks, slot_drain);

static int lp_meminfo_show(void *m, void *v)
{
	return 0;
}

static int lp_nfsd_open(void *inode, void *file)
{
	return 0;
}

static struct klp_func lp_vm_funcs[] = {
	{ .old_name = "meminfo_proc_show", .new_func = lp_meminfo_show },
	{ }
};

static struct klp_func lp_nfsd_funcs[] = {
	{ .old_name = "nfsd_open", .new_func = lp_nfsd_open },
	{ }
};

static struct klp_object lp_objects[] = {
	{ .funcs = lp_vm_funcs, .patch_hooks = lp_fill_hooks, .unpatch_hooks = lp_drain_hooks },
	{ .name = "nfsd", .funcs = lp_nfsd_funcs,
	  .patch_hooks = lp_fill_hooks, .unpatch_hooks = lp_drain_hooks },
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objects,
};

static int __init lp_start(void)
{
	/* enabled by the administrator: echo 1 > /sys/kernel/livepatch/<patch>/enabled */
	return klp_register_patch(&lp_patch);
}

static void __exit lp_stop(void)
{
	WARN_ON(klp_unregister_patch(&lp_patch));
}

module_init(lp_start);
module_exit(lp_stop);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
