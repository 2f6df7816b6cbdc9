// SPDX-License-Identifier: GPL-2.0
/*
 * A replacement attaches a shadow record to each socket it sees, with a
 * constructor. The constructor delegates to a helper that allocates the
 * record's log buffer with GFP_KERNEL: constructors run under
 * klp_shadow_lock with interrupts off, so this sleeps in atomic context.
 * Freeing is right (dtor with kfree, klp_shadow_free_all in post_unpatch).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define KLPP_SV_SK_LOG	0x51

#define KLPP_LOG_LEN	256

struct klpp_sk_log {
	char *buf;
	unsigned int len;
};

static int klpp_sk_log_init(struct klpp_sk_log *l)
{
	l->buf = kmalloc(KLPP_LOG_LEN, GFP_KERNEL); // expect KLP302
	if (!l->buf)
		return -ENOMEM;
	l->len = 0;
	return 0;
}

static int klpp_sk_log_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	return klpp_sk_log_init(shadow_data);
}

static void klpp_sk_log_dtor(void *obj, void *shadow_data)
{
	struct klpp_sk_log *l = shadow_data;

	kfree(l->buf);
}

static int klpp_tcp_set_rcvlowat(void *sk, int val)
{
	struct klpp_sk_log *l;

	l = klp_shadow_get_or_alloc(sk, KLPP_SV_SK_LOG, sizeof(*l), GFP_ATOMIC,
				    klpp_sk_log_ctor, NULL);
	if (l && l->len < KLPP_LOG_LEN)
		l->buf[l->len++] = (char)val;
	return 0;
}

static void klpp_post_unpatch(struct klp_object *obj)
{
	klp_shadow_free_all(KLPP_SV_SK_LOG, klpp_sk_log_dtor);
}

static struct klp_func klpp_funcs[] = {
	{ .old_name = "tcp_set_rcvlowat", .new_func = klpp_tcp_set_rcvlowat },
	{ }
};

static struct klp_object klpp_objs[] = {
	{ .funcs = klpp_funcs, .callbacks = { .post_unpatch = klpp_post_unpatch } },
	{ }
};

static struct klp_patch klpp_patch = {
	.mod = THIS_MODULE,
	.objs = klpp_objs,
};

static int __init klpp_init(void)
{
	return klp_enable_patch(&klpp_patch);
}

static void __exit klpp_cleanup(void)
{
}

module_init(klpp_init);
module_exit(klpp_cleanup);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
