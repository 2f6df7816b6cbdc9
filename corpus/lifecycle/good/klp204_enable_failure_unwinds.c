// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: module_init builds a slab cache and, when configured, a
 * statistics kobject, each in a helper, before it enables the patch; errors
 * unwind through a goto ladder, and a failing klp_enable_patch() enters it at
 * its top: module_exit never runs after a failed init, so module_init undoes
 * everything itself.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/kobject.h>

#define FIXUP_STATS 1

struct fixup_rec {
	unsigned long ino;
	unsigned int flags;
};

static struct kmem_cache *fixup_cache;
#ifdef FIXUP_STATS
static struct kobject *fixup_kobj;
#endif

static int fixup_make_cache(void)
{
	fixup_cache = KMEM_CACHE(fixup_rec, 0);
	return fixup_cache ? 0 : -ENOMEM;
}

static int fixup_make_stats(void)
{
#ifdef FIXUP_STATS
	fixup_kobj = kobject_create_and_add("fixup_stats", kernel_kobj);
	if (!fixup_kobj)
		return -ENOMEM;
#endif
	return 0;
}

static void fixup_drop_stats(void)
{
#ifdef FIXUP_STATS
	kobject_put(fixup_kobj);
#endif
}

static int fixup_inode_permission(void *inode, int mask)
{
	return 0;
}

static struct klp_func fixup_funcs[] = {
	{ .old_name = "generic_permission", .new_func = fixup_inode_permission },
	{ }
};

static struct klp_object fixup_objs[] = {
	{ .funcs = fixup_funcs },
	{ }
};

static struct klp_patch fixup_patch = {
	.mod = THIS_MODULE,
	.objs = fixup_objs,
};

static int __init fixup_init(void)
{
	int err;

	err = fixup_make_cache();
	if (err)
		goto fail;
	err = fixup_make_stats();
	if (err)
		goto fail_cache;
	err = klp_enable_patch(&fixup_patch);
	if (err)
		goto fail_stats;
	return 0;

fail_stats:
	fixup_drop_stats();
fail_cache:
	kmem_cache_destroy(fixup_cache);
fail:
	return err;
}

static void __exit fixup_exit(void)
{
	fixup_drop_stats();
	kmem_cache_destroy(fixup_cache);
}

module_init(fixup_init);
module_exit(fixup_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
