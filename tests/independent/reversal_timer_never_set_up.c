// SPDX-License-Identifier: GPL-2.0
/*
 * A sampling timer set up in post_patch and torn down in post_unpatch. When
 * the transition is reversed (a task stays in the old code and the admin
 * disables the patch), post_patch never ran: post_unpatch deletes a timer that
 * was never set up. The state lives in a zero-initialised static struct.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

struct sampler {
	struct timer_list timer;
	unsigned int period;
	bool running;
};

static struct sampler smp;

static void sampler_tick(struct timer_list *t)
{
	mod_timer(&smp.timer, jiffies + smp.period);
}

static void sampler_start(void)
{
	smp.period = HZ;
	timer_setup(&smp.timer, sampler_tick, 0);
	mod_timer(&smp.timer, jiffies + smp.period);
	smp.running = true;
}

static void cb_post_patch(struct klp_object *obj)
{
	sampler_start();
}

static void cb_post_unpatch(struct klp_object *obj)
{
	del_timer_sync(&smp.timer); // expect KLP206
}

static int new_version_show(struct seq_file *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "version_proc_show", .new_func = new_version_show, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.post_patch = cb_post_patch,
			.post_unpatch = cb_post_unpatch,
		},
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
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
