// SPDX-License-Identifier: GPL-2.0
/*
 * A clean callbacks-API livepatch for the oracle's tests: it replaces
 * cmdline_proc_show, has all four callbacks on vmlinux and on the kernel's own
 * klp_oracle_target module (tests/oracle/data), and touches obj->mod only when it is set.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "klp_oracle_clean");
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	if (obj->mod)
		pr_info("klp_oracle_clean: pre_patch %s\n", obj->mod->name);
	return 0;
}

static void post_patch(struct klp_object *obj)
{
}

static void pre_unpatch(struct klp_object *obj)
{
}

static void post_unpatch(struct klp_object *obj)
{
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = vmlinux_funcs,
		.callbacks = {
			.pre_patch = pre_patch,
			.post_patch = post_patch,
			.pre_unpatch = pre_unpatch,
			.post_unpatch = post_unpatch,
		},
	}, {
		.name = "klp_oracle_target",
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = pre_patch,
			.post_unpatch = post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int klp_oracle_clean_init(void)
{
	return klp_enable_patch(&patch);
}

static void klp_oracle_clean_exit(void)
{
}

module_init(klp_oracle_clean_init);
module_exit(klp_oracle_clean_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
