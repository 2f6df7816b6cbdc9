// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the fix counts how often the vhost_net module was loaded
 * while the patch is active, in a shadow variable attached to init_task.
 * post_patch allocates it with klp_shadow_alloc() every time vhost_net comes
 * in; only module_exit frees it. The second load of vhost_net finds the
 * variable already attached: klp_shadow_alloc() warns and returns NULL.
 */
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

	loads = klp_shadow_alloc(&init_task, LP_SV_VHOST_LOADS, sizeof(*loads), GFP_KERNEL, NULL, NULL); // expect KLP301
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
