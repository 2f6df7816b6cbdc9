// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: pre_patch builds a quirk table for the ath9k fix and then
 * refuses to patch when the loaded firmware is too old. The error return
 * leaves the quirk table allocated, and post_unpatch, which would free it,
 * never runs for an object whose pre_patch failed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_MIN_FW	0x2000

struct lp_quirk {
	unsigned int fw_version;
	unsigned int flags;
};

static struct lp_quirk *lp_quirk;

static unsigned int lp_fw_version;
module_param(lp_fw_version, uint, 0444);
MODULE_PARM_DESC(lp_fw_version, "firmware version of the installed card (ethtool -i)");

static int lp_ath9k_hw_reset(void *ah, void *chan, void *caldata, bool fastcc)
{
	return 0;
}

static int lp_pre_patch_ath9k(struct klp_object *obj)
{
	lp_quirk = kzalloc(sizeof(*lp_quirk), GFP_KERNEL);
	if (!lp_quirk)
		return -ENOMEM;

	lp_quirk->fw_version = lp_fw_version;
	if (lp_quirk->fw_version < LP_MIN_FW) {
		pr_err("firmware %#x too old for this fix\n", lp_quirk->fw_version);
		return -ENODEV; // expect KLP210
	}
	return 0;
}

static void lp_post_unpatch_ath9k(struct klp_object *obj)
{
	kfree(lp_quirk);
	lp_quirk = NULL;
}

static struct klp_func ath9k_funcs[] = {
	{
		.old_name = "ath9k_hw_reset",
		.new_func = lp_ath9k_hw_reset,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "ath9k_hw",
		.funcs = ath9k_funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch_ath9k,
			.post_unpatch = lp_post_unpatch_ath9k,
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
