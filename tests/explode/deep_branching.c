// Shaped to explode the executor (tests/test_budget.py, bench/explode.py): a pre_patch callback that
// decodes a feature word bit by bit, each decision on a value klplint cannot know, nested six deep
// and repeated down a long chain, with an allocation on some branches. Every `if` doubles the paths.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/livepatch.h>

struct quirk {
	unsigned long mask;
	void *scratch;
};

static struct quirk *quirks[8];
static unsigned long feature_word;

static int lp_sysrq_handle(int key) { return 0; }

static unsigned long probe(int bit)
{
	return get_random_u32() & (1u << bit);
}

static int decode_group(int g)
{
	unsigned long m = 0;

	if (probe(g * 6 + 0)) {
		m |= 1;
		if (probe(g * 6 + 1)) {
			m |= 2;
			if (probe(g * 6 + 2)) {
				m |= 4;
				if (probe(g * 6 + 3)) {
					m |= 8;
					if (probe(g * 6 + 4)) {
						m |= 16;
						if (probe(g * 6 + 5))
							m |= 32;
					}
				}
			}
		}
	} else if (probe(g * 6 + 1)) {
		m |= 64;
	} else if (probe(g * 6 + 2)) {
		m |= 128;
	}
	if (m & 8) {
		quirks[g] = kzalloc(sizeof(*quirks[g]), GFP_KERNEL);
		if (!quirks[g])
			return -ENOMEM;
		quirks[g]->mask = m;
	}
	feature_word |= m << (g * 8);
	return 0;
}

static int decode_all(struct klp_object *obj)
{
	int g, ret = 0;

	if (get_random_u32() & 1)
		ret |= decode_group(0);
	if (get_random_u32() & 2)
		ret |= decode_group(1);
	if (get_random_u32() & 4)
		ret |= decode_group(2);
	if (get_random_u32() & 8)
		ret |= decode_group(3);
	if (get_random_u32() & 16)
		ret |= decode_group(4);
	if (get_random_u32() & 32)
		ret |= decode_group(5);
	if (get_random_u32() & 64)
		ret |= decode_group(6);
	if (get_random_u32() & 128)
		ret |= decode_group(7);
	for (g = 0; g < 8; g++)
		if (feature_word & (1ul << (g * 8)))
			ret |= decode_group(g);
	return ret ? -EINVAL : 0;
}

static void forget_all(struct klp_object *obj)
{
	int g;

	for (g = 0; g < 8; g++) {
		if (quirks[g] && (quirks[g]->mask & 32))
			kfree(quirks[g]->scratch);
		kfree(quirks[g]);
		quirks[g] = NULL;
	}
	feature_word = 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "sysrq_handle_loglevel", .new_func = lp_sysrq_handle, },
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = decode_all,
			.post_unpatch = forget_all,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init branchy_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit branchy_exit(void)
{
}

module_init(branchy_init);
module_exit(branchy_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
