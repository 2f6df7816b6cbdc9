// SPDX-License-Identifier: GPL-2.0
/*
 * Two module objects whose fixes keep a reference on their target while
 * it is patched: pre_patch takes it (the target is COMING or LIVE, so
 * try_module_get() can only fail on a module already going away, which
 * the callback reports as -ENODEV), post_unpatch drops it. The core pairs
 * exactly those two: post_unpatch runs only for an object whose pre_patch
 * succeeded. A per-object counter is kept in an array indexed by a helper
 * that matches the object's name.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/string.h>

enum { LPR_SCSI, LPR_SD, LPR_NR };

static const char *const lpr_names[LPR_NR] = { "scsi_mod", "sd_mod" };
static unsigned int lpr_held[LPR_NR];

static int lpr_slot(const struct klp_object *obj)
{
	int i;

	for (i = 0; i < LPR_NR; i++)
		if (obj->name && !strcmp(obj->name, lpr_names[i]))
			return i;
	return -1;
}

static int lpr_pre_patch(struct klp_object *obj)
{
	int i = lpr_slot(obj);

	if (i < 0)
		return -EINVAL;
	if (!try_module_get(obj->mod))
		return -ENODEV;
	lpr_held[i]++;
	return 0;
}

static void lpr_post_unpatch(struct klp_object *obj)
{
	int i = lpr_slot(obj);

	if (i < 0)
		return;
	lpr_held[i]--;
	module_put(obj->mod);
}

static int lpr_scsi_queue_rq(void *hctx, const void *bd) { return 0; }
static int lpr_sd_revalidate_disk(void *disk) { return 0; }

static struct klp_func lpr_scsi_funcs[] = {
	{ .old_name = "scsi_queue_rq", .new_func = lpr_scsi_queue_rq },
	{ }
};

static struct klp_func lpr_sd_funcs[] = {
	{ .old_name = "sd_revalidate_disk", .new_func = lpr_sd_revalidate_disk },
	{ }
};

#define LPR_OBJECT(_name, _funcs) {					\
	.name = _name,							\
	.funcs = _funcs,						\
	.callbacks = {							\
		.pre_patch = lpr_pre_patch,				\
		.post_unpatch = lpr_post_unpatch,			\
	},								\
}

static struct klp_object lpr_objs[] = {
	LPR_OBJECT("scsi_mod", lpr_scsi_funcs),
	LPR_OBJECT("sd_mod", lpr_sd_funcs),
	{ }
};

static struct klp_patch lpr_patch = {
	.mod = THIS_MODULE,
	.objs = lpr_objs,
};

static int __init lpr_init(void)
{
	return klp_enable_patch(&lpr_patch);
}

static void __exit lpr_exit(void)
{
}

module_init(lpr_init);
module_exit(lpr_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
