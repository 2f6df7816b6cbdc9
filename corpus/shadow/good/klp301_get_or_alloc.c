// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp301_alloc_on_every_module_load.c:
 * klp_shadow_get_or_alloc() returns the counter attached by an earlier load.
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched/task.h>

#define LP_SV_VHOST_LOADS	0x4c500001

struct lp_vhost_loads {
	unsigned int count;
};

static int lp_vhost_net_open(void *inode, void *f)
{
	return 0;
}

static void lp_post_patch_vhost(struct klp_object *obj)
{
	struct lp_vhost_loads *loads;

	loads = klp_shadow_get_or_alloc(&init_task, LP_SV_VHOST_LOADS, sizeof(*loads), GFP_KERNEL,
					NULL, NULL);
	if (!loads) {
		pr_warn("cannot count vhost_net loads\n");
		return;
	}
	loads->count++;
}

static struct klp_func vhost_funcs[] = {
	{
		.old_name = "vhost_net_open",
		.new_func = lp_vhost_net_open,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "vhost_net",
		.funcs = vhost_funcs,
		.callbacks = {
			.post_patch = lp_post_patch_vhost,
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
	klp_shadow_free_all(LP_SV_VHOST_LOADS, NULL);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
