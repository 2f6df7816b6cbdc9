// SPDX-License-Identifier: GPL-2.0
/*
 * The replacement of a per-task function attaches a shadow counter to each
 * task it sees. Nothing frees the shadow variables: no klp_shadow_free_all()
 * in post_unpatch or module_exit, so every task alive at unpatch time keeps
 * its shadow (and a later patch reusing the id finds stale data).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/slab.h>

#define TASK_HITS_SV	0x1234

struct task_hits {
	unsigned long count;
};

static void klp_proc_task_name(struct seq_file *m, struct task_struct *p, bool escape)
{
	struct task_hits *th;

	th = klp_shadow_get_or_alloc(p, TASK_HITS_SV, sizeof(*th), GFP_ATOMIC, NULL, NULL); // expect KLP303
	if (th)
		th->count++;
}

static struct klp_func funcs[] = {
	{ .old_name = "proc_task_name", .new_func = klp_proc_task_name },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
