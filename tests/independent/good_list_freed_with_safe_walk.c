// SPDX-License-Identifier: GPL-2.0
/*
 * The twin of list_freed_while_walked.c: post_unpatch walks the list with
 * list_for_each_entry_safe(), which reads the next entry before the body
 * frees the current one, and unlinks each node first.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/list.h>

struct lpl_quirk {
	struct list_head node;
	int id;
};

static LIST_HEAD(lpl_quirks);

static int lpl_record(int id)
{
	struct lpl_quirk *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return -ENOMEM;
	q->id = id;
	list_add_tail(&q->node, &lpl_quirks);
	return 0;
}

static int lpl_pre_patch(struct klp_object *obj)
{
	return lpl_record(1);
}

static void lpl_post_unpatch(struct klp_object *obj)
{
	struct lpl_quirk *q, *tmp;

	list_for_each_entry_safe(q, tmp, &lpl_quirks, node) {
		list_del(&q->node);
		pr_info("undoing quirk %d\n", q->id);
		kfree(q);
	}
}

static int lpl_pci_fixup(void *dev) { return 0; }

static struct klp_func lpl_funcs[] = {
	{ .old_name = "pci_fixup_device", .new_func = lpl_pci_fixup },
	{ }
};

static struct klp_object lpl_objs[] = {
	{
		.funcs = lpl_funcs,
		.callbacks = {
			.pre_patch = lpl_pre_patch,
			.post_unpatch = lpl_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lpl_patch = {
	.mod = THIS_MODULE,
	.objs = lpl_objs,
};

static int __init lpl_init(void)
{
	return klp_enable_patch(&lpl_patch);
}

static void __exit lpl_exit(void)
{
}

module_init(lpl_init);
module_exit(lpl_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
