// SPDX-License-Identifier: GPL-2.0
/* klplint corpus: objs and states arrays sized exactly to their entries, no terminator. */
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define NF_FIX_STATE	7

static unsigned int lp_nf_hook_entry(void *priv, void *skb, const void *state)
{
	return 1;
}

static struct klp_func nf_funcs[] = {
	{ .old_name = "nf_hook_slow", .new_func = lp_nf_hook_entry, },
	{ }
};

static struct klp_object nf_objs[1] = {	// expect KLP101
	{ .funcs = nf_funcs, },
};

static struct klp_state nf_states[] = {	// expect KLP101
	{ .id = NF_FIX_STATE, .version = 1, },
};

static struct klp_patch nf_patch = {
	.mod = THIS_MODULE,
	.objs = nf_objs,
	.states = nf_states,
};

static int __init nf_lp_init(void)
{
	return klp_enable_patch(&nf_patch);
}

module_init(nf_lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
