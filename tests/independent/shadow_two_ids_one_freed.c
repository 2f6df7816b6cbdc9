// SPDX-License-Identifier: GPL-2.0
/*
 * Two shadow variables on a FIFO's struct file, both attached by the
 * patched open: a per-file lock (ctor initialises it, dtor only logs) and a
 * timestamp. The patched release frees the lock with its parent, and
 * post_unpatch frees the remaining locks with klp_shadow_free_all(). The
 * timestamps are freed nowhere: one per FIFO ever opened stays in the
 * core's shadow hash table after the patch is gone.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/spinlock.h>
#include <linux/jiffies.h>
#include <linux/fs.h>

#define SV_FILE_LOCK	0x4c4b
#define SV_FILE_STAMP	0x5354

static int lp_lock_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	spinlock_t *lock = shadow_data;

	spin_lock_init(lock);
	return 0;
}

static void lp_lock_dtor(void *obj, void *shadow_data)
{
	pr_debug("livepatch: dropping lock of file %p\n", obj);
}

static int livepatch_fifo_open(struct inode *inode, struct file *filp)
{
	spinlock_t *lock;
	unsigned long *stamp;

	lock = klp_shadow_get_or_alloc(filp, SV_FILE_LOCK, sizeof(*lock), GFP_KERNEL,
				       lp_lock_ctor, NULL);
	if (!lock)
		return -ENOMEM;
	stamp = klp_shadow_get_or_alloc(filp, SV_FILE_STAMP, sizeof(*stamp), GFP_KERNEL, // expect KLP303
					NULL, NULL);
	spin_lock(lock);
	if (stamp)
		*stamp = jiffies;
	spin_unlock(lock);
	return 0;
}

static int livepatch_pipe_release(struct inode *inode, struct file *file)
{
	klp_shadow_free(file, SV_FILE_LOCK, lp_lock_dtor);
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(SV_FILE_LOCK, lp_lock_dtor);
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "fifo_open", .new_func = livepatch_fifo_open },
	{ .old_name = "pipe_release", .new_func = livepatch_pipe_release },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.post_unpatch = lp_post_unpatch,
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
