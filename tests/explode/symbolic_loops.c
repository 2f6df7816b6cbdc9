// Shaped to explode the executor (tests/test_budget.py, bench/explode.py): loops whose bounds klplint
// cannot know (a module parameter, a value read at run time, a list built as it goes), nested three
// deep, allocating and freeing on the way: the unrolling forks at every bound test.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/livepatch.h>

struct chunk {
	struct list_head node;
	unsigned int len;
	char *data;
};

static LIST_HEAD(chunks);
static unsigned int nr_rings = 4;
static unsigned int ring_depth = 8;
module_param(nr_rings, uint, 0644);
module_param(ring_depth, uint, 0644);
extern unsigned int arch_slots(void);

static long lp_poll_rings(void) { return 0; }

static int fill(struct klp_object *obj)
{
	unsigned int r, d, k, slots = arch_slots();

	for (r = 0; r < nr_rings; r++) {
		for (d = 0; d < ring_depth; d++) {
			struct chunk *c = kzalloc(sizeof(*c), GFP_KERNEL);

			if (!c)
				goto undo;
			c->len = d + 1;
			for (k = 0; k < slots && k < c->len; k++) {
				char *n = krealloc(c->data, (k + 1) * 64, GFP_KERNEL);

				if (!n)
					break;
				c->data = n;
			}
			list_add_tail(&c->node, &chunks);
		}
	}
	return 0;
undo:
	while (!list_empty(&chunks)) {
		struct chunk *c = list_first_entry(&chunks, struct chunk, node);

		list_del(&c->node);
		kfree(c->data);
		kfree(c);
	}
	return -ENOMEM;
}

static void drain(struct klp_object *obj)
{
	unsigned int budget = arch_slots();

	while (budget-- && !list_empty(&chunks)) {
		struct chunk *c = list_first_entry(&chunks, struct chunk, node);

		list_del(&c->node);
		kfree(c->data);
		kfree(c);
	}
}

static struct klp_func funcs[] = {
	{ .old_name = "poll_rings", .new_func = lp_poll_rings, },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs, .callbacks = { .pre_patch = fill, .post_unpatch = drain, }, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init rings_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit rings_exit(void)
{
}

module_init(rings_init);
module_exit(rings_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
