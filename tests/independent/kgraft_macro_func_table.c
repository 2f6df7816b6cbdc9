// SPDX-License-Identifier: GPL-2.0
/*
 * A kGraft-era patch ported to klp, keeping its naming: kgr_ replacements
 * and KGR_PATCH() entries that build the func table. Two earlier patches
 * were merged into this cumulative one and both listed
 * proc_pid_cmdline_read, once with sympos 0 and once with sympos 1: the
 * same function (0 means "the only one", which is position 1), so
 * registration fails with -EEXIST.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

#define KGR_PATCH(_name, _pos)	{ .old_name = #_name, .new_func = kgr_##_name, .old_sympos = _pos, }
#define KGR_PATCH_END		{ }

static ssize_t kgr_proc_pid_cmdline_read(struct file *file, char __user *buf, size_t count,
					 loff_t *pos)
{
	return 0;
}

static int kgr_show_map(struct seq_file *m, void *v)
{
	return 0;
}

static int kgr_proc_pid_status(struct seq_file *m, void *ns, void *pid, void *task)
{
	return 0;
}

static struct klp_func kgr_patch_funcs[] = {
	KGR_PATCH(proc_pid_cmdline_read, 0),
	KGR_PATCH(show_map, 0),
	KGR_PATCH(proc_pid_status, 0),
	KGR_PATCH(proc_pid_cmdline_read, 1), // expect KLP109
	KGR_PATCH_END
};

static struct klp_object kgr_patch_objs[] = {
	{ .funcs = kgr_patch_funcs, },
	{ }
};

static struct klp_patch kgr_patch = {
	.mod = THIS_MODULE,
	.objs = kgr_patch_objs,
	.replace = true,
};

static int __init kgr_patcher_init(void)
{
	return klp_enable_patch(&kgr_patch);
}

static void __exit kgr_patcher_cleanup(void)
{
}

module_init(kgr_patcher_init);
module_exit(kgr_patcher_cleanup);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
