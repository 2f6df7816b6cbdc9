// SPDX-License-Identifier: GPL-2.0
/*
 * A livepatch written for the hooks API (struct klp_hook, .patch_hooks and
 * .unpatch_hooks, klp_register_patch): two objects, several hooks each, one hook
 * function shared by both objects and unpatch hooks in a different order than
 * the patch hooks. The hooks print nothing: the oracle observes them with kprobes.
 * patch_hook_ret makes every patch hook return an error (only logged by the core).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int patch_hook_ret;
module_param(patch_hook_ret, int, 0644);

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "klp_oracle_hooks");
	return 0;
}

static int livepatch_target_value(void)
{
	return 2;
}

static int setup_hook(struct klp_object *obj)
{
	return patch_hook_ret;
}

static int vmlinux_second_hook(struct klp_object *obj)
{
	return patch_hook_ret;
}

static int teardown_hook(struct klp_object *obj)
{
	return 0;
}

static int target_teardown_hook(struct klp_object *obj)
{
	return 0;
}

static struct klp_func vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};

static struct klp_func target_funcs[] = {
	{ .old_name = "klp_oracle_target_value", .new_func = livepatch_target_value, },
	{ }
};

static struct klp_hook vmlinux_patch_hooks[] = {
	{ .hook = setup_hook },
	{ .hook = vmlinux_second_hook },
	{ }
};

static struct klp_hook vmlinux_unpatch_hooks[] = {
	{ .hook = teardown_hook },
	{ }
};

static struct klp_hook target_patch_hooks[] = {
	{ .hook = setup_hook },
	{ }
};

static struct klp_hook target_unpatch_hooks[] = {
	{ .hook = target_teardown_hook },
	{ .hook = teardown_hook },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = vmlinux_funcs,
		.patch_hooks = vmlinux_patch_hooks,
		.unpatch_hooks = vmlinux_unpatch_hooks,
	}, {
		.name = "klp_oracle_target",
		.funcs = target_funcs,
		.patch_hooks = target_patch_hooks,
		.unpatch_hooks = target_unpatch_hooks,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int klp_oracle_hooks_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void klp_oracle_hooks_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(klp_oracle_hooks_init);
module_exit(klp_oracle_hooks_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
