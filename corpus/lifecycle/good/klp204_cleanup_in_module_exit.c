// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: resources that live as long as the livepatch module. The
 * slab cache is created in module_init before the patch is enabled (and
 * destroyed again if enabling fails) and destroyed in module_exit; the
 * entries the callbacks queue on a kernel list belong to that list (the
 * unpatch side drains it). A mutex taken in a callback is released on every
 * path.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct lp_entry {
	struct list_head node;
	unsigned long ino;
};

static struct kmem_cache *lp_entry_cache;
static LIST_HEAD(lp_entries);
static DEFINE_MUTEX(lp_entries_lock);

static int lp_vfs_statx(int dfd, const char *filename, int flags, void *stat, unsigned int mask)
{
	return -ENOSYS;
}

static void lp_post_patch(struct klp_object *obj)
{
	struct lp_entry *e;

	e = kmem_cache_zalloc(lp_entry_cache, GFP_KERNEL);
	if (!e)
		return;
	mutex_lock(&lp_entries_lock);
	if (!list_empty(&lp_entries)) {
		mutex_unlock(&lp_entries_lock);
		kmem_cache_free(lp_entry_cache, e);
		return;
	}
	list_add_tail(&e->node, &lp_entries);
	mutex_unlock(&lp_entries_lock);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	struct lp_entry *e, *tmp;

	mutex_lock(&lp_entries_lock);
	list_for_each_entry_safe(e, tmp, &lp_entries, node) {
		list_del(&e->node);
		kmem_cache_free(lp_entry_cache, e);
	}
	mutex_unlock(&lp_entries_lock);
}

static struct klp_func funcs[] = {
	{
		.old_name = "vfs_statx",
		.new_func = lp_vfs_statx,
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

static int lp_init(void)
{
	int ret;

	lp_entry_cache = KMEM_CACHE(lp_entry, 0);
	if (!lp_entry_cache)
		return -ENOMEM;
	ret = klp_enable_patch(&patch);
	if (ret)
		kmem_cache_destroy(lp_entry_cache);
	return ret;
}

static void lp_exit(void)
{
	kmem_cache_destroy(lp_entry_cache);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
