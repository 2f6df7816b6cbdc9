// SPDX-License-Identifier: GPL-2.0
/*
 * module_init creates a sysfs directory with a counter file before enabling
 * the patch, in goto-cleanup style, but returns the error of a failing
 * klp_enable_patch() without unwinding: module_exit never runs after a failed
 * init, so the kobject and its file stay and the next load fails with -EEXIST.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

static struct kobject *stats_kobj;
static atomic_t hit_count;

static ssize_t hits_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%d\n", atomic_read(&hit_count));
}

static struct kobj_attribute hits_attr = __ATTR_RO(hits);

static int patched_loadavg_show(struct seq_file *m, void *v)
{
	atomic_inc(&hit_count);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "loadavg_proc_show", .new_func = patched_loadavg_show, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init stats_lp_init(void)
{
	int ret;

	stats_kobj = kobject_create_and_add("lp_stats", kernel_kobj); // expect KLP204
	if (!stats_kobj)
		return -ENOMEM;

	ret = sysfs_create_file(stats_kobj, &hits_attr.attr);
	if (ret)
		goto err_put;

	ret = klp_enable_patch(&patch);
	if (ret)
		return ret;
	return 0;

err_put:
	kobject_put(stats_kobj);
	return ret;
}

static void __exit stats_lp_exit(void)
{
	sysfs_remove_file(stats_kobj, &hits_attr.attr);
	kobject_put(stats_kobj);
}

module_init(stats_lp_init);
module_exit(stats_lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
