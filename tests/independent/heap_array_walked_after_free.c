// SPDX-License-Identifier: GPL-2.0
/*
 * pre_patch allocates one slot per possible CPU for the fix's statistics
 * and post_unpatch prints them. Written in the pointer-walking style: a
 * cursor runs from the first slot to one past the last. post_unpatch
 * frees the array first and walks it afterwards: every read is of freed
 * memory.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LPH_SLOTS 8

struct lph_slot {
	unsigned long calls;
	unsigned long errors;
};

static struct lph_slot *lph_slots;

static int lph_pre_patch(struct klp_object *obj)
{
	struct lph_slot *s;

	lph_slots = kcalloc(LPH_SLOTS, sizeof(*lph_slots), GFP_KERNEL);
	if (!lph_slots)
		return -ENOMEM;
	for (s = lph_slots; s < lph_slots + LPH_SLOTS; s++)
		s->errors = 0;
	return 0;
}

static void lph_post_unpatch(struct klp_object *obj)
{
	struct lph_slot *s, *end = lph_slots + LPH_SLOTS;
	unsigned long total = 0;

	kfree(lph_slots);
	for (s = lph_slots; s != end; s++)
		total += s->calls; // expect KLP207
	pr_info("%lu calls patched\n", total);
	lph_slots = NULL;
}

static long lph_do_ioctl(void *filp, unsigned int cmd, unsigned long arg)
{
	return 0;
}

static struct klp_func lph_funcs[] = {
	{ .old_name = "do_vfs_ioctl", .new_func = lph_do_ioctl },
	{ }
};

static struct klp_object lph_objs[] = {
	{
		.funcs = lph_funcs,
		.callbacks = {
			.pre_patch = lph_pre_patch,
			.post_unpatch = lph_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lph_patch = {
	.mod = THIS_MODULE,
	.objs = lph_objs,
};

static int __init lph_init(void)
{
	return klp_enable_patch(&lph_patch);
}

static void __exit lph_exit(void)
{
}

module_init(lph_init);
module_exit(lph_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
