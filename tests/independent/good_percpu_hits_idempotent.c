// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: the replacement counts its calls in a per-CPU counter. post_patch
 * allocates the counter only when it has none (a disable reversed half-way
 * runs post_patch a second time after pre_unpatch), post_unpatch frees it
 * and clears the pointer; post_unpatch also runs after a reversed enable,
 * where free_percpu(NULL) does nothing. The replacement can run before
 * post_patch (tasks switch during the transition), so it tests the pointer.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>
#include <linux/seq_file.h>

static unsigned long __percpu *lp_hits;

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	unsigned long __percpu *hits = READ_ONCE(lp_hits);

	if (hits)
		this_cpu_inc(*hits);
	seq_puts(m, "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro\n");
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	unsigned long __percpu *hits;

	if (lp_hits)
		return;
	hits = alloc_percpu(unsigned long);
	if (!hits) {
		pr_warn("livepatch: no per-cpu counter, not counting\n");
		return;
	}
	WRITE_ONCE(lp_hits, hits);
}

static void lp_post_unpatch(struct klp_object *obj)
{
	unsigned long total = 0;
	int cpu;

	if (lp_hits) {
		for_each_possible_cpu(cpu)
			total += *per_cpu_ptr(lp_hits, cpu);
		pr_info("livepatch: cmdline read %lu times while patched\n", total);
	}
	free_percpu(lp_hits);
	lp_hits = NULL;
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		/* name == NULL: vmlinux */
		.funcs = lp_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
