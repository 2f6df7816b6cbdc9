// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp201_shared_callback_logs_module.c:
 * the shared logging helper asks obj->mod before using the module.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int lp_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "livepatched");
	return 0;
}

static void lp_log(const char *what, struct klp_object *obj)
{
	if (obj->mod)
		pr_info("%s: %s (state %d)\n", what, obj->mod->name, obj->mod->state);
	else
		pr_info("%s: vmlinux\n", what);
}

static int lp_pre_patch(struct klp_object *obj)
{
	lp_log("pre_patch", obj);
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	lp_log("post_unpatch", obj);
}

static struct klp_func vmlinux_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = lp_cmdline_proc_show,
	},
	{ }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		/* name NULL: vmlinux */
		.funcs = vmlinux_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{
		.name = "nf_conntrack",
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
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
	return klp_enable_patch(&patch);
}

static void lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
