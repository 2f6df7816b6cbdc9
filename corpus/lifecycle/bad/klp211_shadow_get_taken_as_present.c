// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API): post_patch attaches a shadow flag to the
 * init task, and gives up quietly when the atomic allocation fails.
 * pre_unpatch then reads the flag through klp_shadow_get() as if it were
 * always there: NULL when post_patch gave up (and for every object the
 * replacement, which attaches the same id lazily, never saw).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#define LPF_SV_TRACED 3

struct lpf_traced {
	bool on;
};

static int lpf_proc_pid_status(void *m, void *ns, void *pid, struct task_struct *task)
{
	struct lpf_traced *t = klp_shadow_get_or_alloc(task, LPF_SV_TRACED, sizeof(*t),
							GFP_ATOMIC, NULL, NULL);
	if (t)
		t->on = true;
	return 0;
}

static void lpf_post_patch(struct klp_object *obj)
{
	struct lpf_traced *t = klp_shadow_alloc(&init_task, LPF_SV_TRACED, sizeof(*t),
						GFP_ATOMIC, NULL, NULL);
	if (!t)
		return;
	t->on = true;
}

static void lpf_pre_unpatch(struct klp_object *obj)
{
	struct lpf_traced *t = klp_shadow_get(&init_task, LPF_SV_TRACED);

	t->on = false; // expect KLP211
}

static void lpf_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(LPF_SV_TRACED, NULL);
}

static struct klp_func lpf_funcs[] = {
	{ .old_name = "proc_pid_status", .new_func = lpf_proc_pid_status },
	{ }
};

static struct klp_object lpf_objs[] = {
	{
		.funcs = lpf_funcs,
		.callbacks = {
			.post_patch = lpf_post_patch,
			.pre_unpatch = lpf_pre_unpatch,
			.post_unpatch = lpf_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpf_patch = {
	.mod = THIS_MODULE,
	.objs = lpf_objs,
};

static int __init lpf_init(void)
{
	return klp_enable_patch(&lpf_patch);
}

static void __exit lpf_exit(void)
{
}

module_init(lpf_init);
module_exit(lpf_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
