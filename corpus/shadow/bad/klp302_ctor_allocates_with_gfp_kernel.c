// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the fix attaches a reassembly buffer to each socket it
 * sees, and the shadow constructor allocates that buffer itself, with
 * GFP_KERNEL. klp_shadow_alloc() runs the constructor under klp_shadow_lock
 * with interrupts off: the allocation may sleep there.
 */
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

	r->buf = kmalloc(LP_REASM_SIZE, GFP_KERNEL); // expect KLP302
	if (!r->buf)
		return -ENOMEM;
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

	r = klp_shadow_get_or_alloc(ulpq, LP_SV_REASM, sizeof(*r), GFP_ATOMIC,
				    lp_reasm_ctor, NULL);
	if (!r)
		return -ENOMEM;
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
