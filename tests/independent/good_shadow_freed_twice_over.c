// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: a shadow variable carries a buffer the replacement allocates
 * before taking the lock (the ctor runs under the core's spinlock, so it
 * only stores what it is given); the dtor frees the buffer. Variables are
 * freed with their parent, then by klp_shadow_free_all() in post_unpatch,
 * and once more in module_exit for the shadows a replacement still running
 * at post_unpatch could have attached: freeing all of an id twice frees
 * nothing twice, the core looks each variable up in its hash table.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>

#define SV_OPEN_NOTE	0x4e4f

struct lp_open_note {
	char *comm;
};

static int lp_note_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct lp_open_note *note = shadow_data;

	note->comm = ctor_data;
	return 0;
}

static void lp_note_dtor(void *obj, void *shadow_data)
{
	struct lp_open_note *note = shadow_data;

	kfree(note->comm);
}

static int livepatch_chrdev_open(struct inode *inode, struct file *filp)
{
	struct lp_open_note *note;
	char *comm;

	comm = kstrdup("opener", GFP_KERNEL);
	if (!comm)
		return -ENOMEM;
	note = klp_shadow_get_or_alloc(filp, SV_OPEN_NOTE, sizeof(*note), GFP_KERNEL,
				       lp_note_ctor, comm);
	if (!note) {
		kfree(comm);
		return -ENOMEM;
	}
	if (note->comm != comm)
		kfree(comm);	/* already attached: the ctor did not run */
	return 0;
}

static void livepatch___fput(struct file *filp)
{
	klp_shadow_free(filp, SV_OPEN_NOTE, lp_note_dtor);
}

static void lp_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(SV_OPEN_NOTE, lp_note_dtor);
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "chrdev_open", .new_func = livepatch_chrdev_open },
	{ .old_name = "__fput", .new_func = livepatch___fput },
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
	klp_shadow_free_all(SV_OPEN_NOTE, lp_note_dtor);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
