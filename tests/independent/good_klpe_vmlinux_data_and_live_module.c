// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Two objects, each resolving its own data addresses in its own pre_patch.
 * vmlinux' pre_patch resolves the address of vmlinux' `kernel_kobj` pointer
 * and vmlinux' post_patch follows it: vmlinux is initialised long before any
 * livepatch loads. ext4's own global pointer, resolved in ext4's pre_patch,
 * is followed only when ext4 is already LIVE; for an ext4 loading later the
 * patched init does the work itself.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

struct lpk_kobj {
	const char *name;
	unsigned int state;
};

struct lpk_es_stats {
	unsigned long shrink_calls;
	unsigned int flags;
};

static struct lpk_kobj **lpk_kernel_kobj;
static struct lpk_es_stats **lpk_ext4_es_stats;

static int lpk_vmlinux_pre_patch(struct klp_object *obj)
{
	lpk_kernel_kobj = (struct lpk_kobj **)kallsyms_lookup_name("kernel_kobj");
	return lpk_kernel_kobj ? 0 : -ENOENT;
}

static void lpk_vmlinux_post_patch(struct klp_object *obj)
{
	struct lpk_kobj *kobj = *lpk_kernel_kobj;

	pr_info("patched under %s\n", kobj->name);
}

static void lpk_vmlinux_post_unpatch(struct klp_object *obj)
{
	lpk_kernel_kobj = NULL;
}

static int lpk_ext4_pre_patch(struct klp_object *obj)
{
	lpk_ext4_es_stats = (struct lpk_es_stats **)kallsyms_lookup_name("ext4_es_stats");
	return lpk_ext4_es_stats ? 0 : -ENOENT;
}

static void lpk_ext4_post_patch(struct klp_object *obj)
{
	struct lpk_es_stats *stats;

	if (obj->mod->state == MODULE_STATE_COMING)
		return;
	stats = *lpk_ext4_es_stats;
	stats->flags |= 0x2;
}

static void lpk_ext4_post_unpatch(struct klp_object *obj)
{
	lpk_ext4_es_stats = NULL;
}

static int lpk_cmdline_proc_show(void *m, void *v)
{
	return 0;
}

static int lpk_ext4_es_scan(void *shrink, void *sc)
{
	return 0;
}

static struct klp_func lpk_vmlinux_funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lpk_cmdline_proc_show },
	{ }
};

static struct klp_func lpk_ext4_funcs[] = {
	{ .old_name = "ext4_es_scan", .new_func = lpk_ext4_es_scan },
	{ }
};

static struct klp_object lpk_objs[] = {
	{
		.funcs = lpk_vmlinux_funcs,
		.callbacks = {
			.pre_patch = lpk_vmlinux_pre_patch,
			.post_patch = lpk_vmlinux_post_patch,
			.post_unpatch = lpk_vmlinux_post_unpatch,
		},
	},
	{
		.name = "ext4",
		.funcs = lpk_ext4_funcs,
		.callbacks = {
			.pre_patch = lpk_ext4_pre_patch,
			.post_patch = lpk_ext4_post_patch,
			.post_unpatch = lpk_ext4_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpk_patch = {
	.mod = THIS_MODULE,
	.objs = lpk_objs,
};

static int __init lpk_init(void)
{
	return klp_enable_patch(&lpk_patch);
}

static void __exit lpk_exit(void)
{
}

module_init(lpk_init);
module_exit(lpk_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
