// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: per-object setup through helpers with goto unwinding, a list of
 * tracked entries walked with list_for_each_entry_safe and READ_ONCE, every
 * callback guarded for vmlinux and for modules loading later.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/string.h>

struct tracked {
	struct list_head node;
	char name[32];
};

static LIST_HEAD(tracked_list);
static DEFINE_MUTEX(tracked_lock);
static int lp_verbose = 1;

static int track(const char *name)
{
	struct tracked *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	strscpy(t->name, name, sizeof(t->name));
	mutex_lock(&tracked_lock);
	list_add(&t->node, &tracked_list);
	mutex_unlock(&tracked_lock);
	return 0;
}

static void untrack_all(void)
{
	struct tracked *t, *tmp;

	mutex_lock(&tracked_lock);
	list_for_each_entry_safe(t, tmp, &tracked_list, node) {
		list_del(&t->node);
		kfree(t);
	}
	mutex_unlock(&tracked_lock);
}

static int obj_pre_patch(struct klp_object *obj)
{
	int ret;

	ret = track(obj->name ? obj->name : "vmlinux");
	if (ret)
		goto out;
	if (obj->mod && READ_ONCE(lp_verbose))
		pr_info("%s state %d\n", obj->mod->name, obj->mod->state);
out:
	return ret;
}

static void obj_post_unpatch(struct klp_object *obj)
{
	if (!obj->mod)
		untrack_all();
}

static int lp_show(struct seq_file *m, void *v) { return 0; }
static int lp_btrfs_sync(void *sb, int wait) { return 0; }

static struct klp_func vfuncs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_show },
	{ }
};

static struct klp_func bfuncs[] = {
	{ .old_name = "btrfs_sync_fs", .new_func = lp_btrfs_sync },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = vfuncs,
		.callbacks = { .pre_patch = obj_pre_patch, .post_unpatch = obj_post_unpatch },
	},
	{
		.name = "btrfs",
		.funcs = bfuncs,
		.callbacks = { .pre_patch = obj_pre_patch, .post_unpatch = obj_post_unpatch },
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
	untrack_all();
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
