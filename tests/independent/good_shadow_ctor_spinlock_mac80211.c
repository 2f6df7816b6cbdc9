// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean, after the kernel's shadow-variable documentation: a spinlock added
 * to mac80211's sta_info as a shadow variable, attached to in-flight
 * objects by a constructor that only initialises it, freed with the parent,
 * and every remaining one freed in post_unpatch.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/spinlock.h>
#include <linux/slab.h>

#define PS_LOCK		1

static int ps_lock_shadow_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	spinlock_t *lock = shadow_data;

	spin_lock_init(lock);
	return 0;
}

static void livepatch_ieee80211_sta_ps_deliver_wakeup(void *sta)
{
	spinlock_t *ps_lock;

	ps_lock = klp_shadow_get_or_alloc(sta, PS_LOCK, sizeof(*ps_lock), GFP_ATOMIC,
					  ps_lock_shadow_ctor, NULL);
	if (ps_lock)
		spin_lock(ps_lock);
	/* deliver the buffered frames */
	if (ps_lock)
		spin_unlock(ps_lock);
}

static void livepatch_ieee80211_tx_h_unicast_ps_buf(void *sta)
{
	spinlock_t *ps_lock = klp_shadow_get(sta, PS_LOCK);

	if (ps_lock)
		spin_lock(ps_lock);
	if (ps_lock)
		spin_unlock(ps_lock);
}

static void livepatch_sta_info_free(void *local, void *sta)
{
	klp_shadow_free(sta, PS_LOCK, NULL);
	kfree(sta);
}

static void livepatch_mac80211_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(PS_LOCK, NULL);
}

static struct klp_func mac80211_funcs[] = {
	{ .old_name = "ieee80211_sta_ps_deliver_wakeup",
	  .new_func = livepatch_ieee80211_sta_ps_deliver_wakeup },
	{ .old_name = "ieee80211_tx_h_unicast_ps_buf",
	  .new_func = livepatch_ieee80211_tx_h_unicast_ps_buf },
	{ .old_name = "sta_info_free", .new_func = livepatch_sta_info_free },
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "mac80211",
		.funcs = mac80211_funcs,
		.callbacks = { .post_unpatch = livepatch_mac80211_post_unpatch },
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init livepatch_ps_lock_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit livepatch_ps_lock_exit(void)
{
}

module_init(livepatch_ps_lock_init);
module_exit(livepatch_ps_lock_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
