// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of klp302_ctor_allocates_with_gfp_kernel.c:
 * the caller allocates the buffer before klp_shadow_get_or_alloc() and hands
 * it to the constructor through ctor_data; the constructor only stores it.
 * (When the variable already exists the caller frees its unused buffer.)
 */
// expect-no-findings
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define LP_SV_REASM	0x4c500002
#define LP_REASM_SIZE	256

struct lp_reasm {
	void *buf;
	unsigned int len;
};

static int lp_reasm_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct lp_reasm *r = shadow_data;

	r->buf = ctor_data;
	r->len = 0;
	return 0;
}

static void lp_reasm_dtor(void *obj, void *shadow_data)
{
	struct lp_reasm *r = shadow_data;

	kfree(r->buf);
}

static int lp_sctp_ulpq_tail_data(void *ulpq, void *chunk, unsigned int gfp)
{
	struct lp_reasm *r;
	void *buf;

	buf = kmalloc(LP_REASM_SIZE, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;
	r = klp_shadow_get_or_alloc(ulpq, LP_SV_REASM, sizeof(*r), GFP_ATOMIC,
				    lp_reasm_ctor, buf);
	if (!r) {
		kfree(buf);
		return -ENOMEM;
	}
	if (r->buf != buf)
		kfree(buf);
	r->len++;
	return 0;
}

static void lp_sctp_ulpq_free(void *ulpq)
{
	klp_shadow_free(ulpq, LP_SV_REASM, lp_reasm_dtor);
}

static struct klp_func sctp_funcs[] = {
	{
		.old_name = "sctp_ulpq_tail_data",
		.new_func = lp_sctp_ulpq_tail_data,
	},
	{
		.old_name = "sctp_ulpq_free",
		.new_func = lp_sctp_ulpq_free,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = "sctp",
		.funcs = sctp_funcs,
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
	klp_shadow_free_all(LP_SV_REASM, lp_reasm_dtor);
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
