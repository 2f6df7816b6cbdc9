// SPDX-License-Identifier: GPL-2.0
/*
 * The replacement of a socket function attaches a shadow counter to each
 * socket it sees (klp_shadow_get_or_alloc, GFP_ATOMIC, with a constructor
 * that seeds it). pre_unpatch reports the counter of a well-known socket,
 * taking klp_shadow_get()'s result as present: it is NULL for a socket the
 * new function never saw. post_unpatch frees every counter with a
 * destructor; that part is right.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LPS_SHADOW_HITS 0x5e7c

struct lps_hits {
	unsigned long n;
};

static void *lps_watched;

static int lps_hits_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct lps_hits *h = shadow_data;

	h->n = *(unsigned long *)ctor_data;
	return 0;
}

static void lps_hits_dtor(void *obj, void *shadow_data)
{
	pr_debug("dropping counter of %p\n", obj);
}

static int lps_tcp_sendmsg(void *sk, void *msg, size_t size)
{
	unsigned long seed = 1;
	struct lps_hits *h;

	h = klp_shadow_get_or_alloc(sk, LPS_SHADOW_HITS, sizeof(*h), GFP_ATOMIC,
				    lps_hits_ctor, &seed);
	if (h)
		h->n++;
	return 0;
}

static void lps_pre_unpatch(struct klp_object *obj)
{
	struct lps_hits *h = klp_shadow_get(lps_watched, LPS_SHADOW_HITS);

	pr_info("watched socket: %lu sends\n", h->n); // expect KLP211
}

static void lps_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(LPS_SHADOW_HITS, lps_hits_dtor);
}

static struct klp_func lps_funcs[] = {
	{ .old_name = "tcp_sendmsg", .new_func = lps_tcp_sendmsg },
	{ }
};

static struct klp_object lps_objs[] = {
	{
		.funcs = lps_funcs,
		.callbacks = {
			.pre_unpatch = lps_pre_unpatch,
			.post_unpatch = lps_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lps_patch = {
	.mod = THIS_MODULE,
	.objs = lps_objs,
};

static int __init lps_init(void)
{
	return klp_enable_patch(&lps_patch);
}

static void __exit lps_exit(void)
{
}

module_init(lps_init);
module_exit(lps_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
