// SPDX-License-Identifier: GPL-2.0
/*
 * The kvm object's pre_patch creates a slab cache for exit records, then a
 * debugfs directory and a stats file in it, with a goto ladder for the
 * failure it thought of (the file). The directory failure returns the
 * error code directly, past the ladder: pre_patch fails, kvm is refused
 * (or the enable fails), the core never calls post_unpatch for the object,
 * and the cache leaks; the next kvm load cannot create a cache of that name.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/err.h>

struct lp_exit_rec {
	unsigned long reason;
	unsigned long count;
};

static struct kmem_cache *lp_rec_cache;
static struct dentry *lp_dir;

static int lp_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "cache %s\n", lp_rec_cache ? "ready" : "none");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lp_stats);

static int lp_kvm_pre_patch(struct klp_object *obj)
{
	struct dentry *file;
	int ret;

	lp_rec_cache = KMEM_CACHE(lp_exit_rec, 0);
	if (!lp_rec_cache)
		return -ENOMEM;

	lp_dir = debugfs_create_dir("lp_kvm_exits", NULL);
	if (IS_ERR(lp_dir))
		return PTR_ERR(lp_dir); // expect KLP210

	file = debugfs_create_file("stats", 0400, lp_dir, NULL, &lp_stats_fops);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_dir;
	}
	return 0;

out_dir:
	debugfs_remove_recursive(lp_dir);
	lp_dir = NULL;
	kmem_cache_destroy(lp_rec_cache);
	lp_rec_cache = NULL;
	return ret;
}

static void lp_kvm_post_unpatch(struct klp_object *obj)
{
	debugfs_remove_recursive(lp_dir);
	lp_dir = NULL;
	kmem_cache_destroy(lp_rec_cache);
	lp_rec_cache = NULL;
}

static int livepatch_kvm_vm_ioctl_check_extension(void *kvm, long ext)
{
	return 0;
}

static struct klp_func lp_kvm_funcs[] = {
	{
		.old_name = "kvm_vm_ioctl_check_extension",
		.new_func = livepatch_kvm_vm_ioctl_check_extension,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.name = "kvm",
		.funcs = lp_kvm_funcs,
		.callbacks = {
			.pre_patch = lp_kvm_pre_patch,
			.post_unpatch = lp_kvm_post_unpatch,
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
