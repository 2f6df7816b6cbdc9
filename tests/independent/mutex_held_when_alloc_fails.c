// SPDX-License-Identifier: GPL-2.0
/*
 * post_patch fills a global list of per-port filters under a mutex, and
 * pre_unpatch empties it with list_for_each_entry_safe under the same
 * mutex. When an allocation fails, post_patch returns from inside the
 * critical section: the mutex stays locked, pre_unpatch (and every other
 * user of the lock) blocks forever, with klp_mutex held by the core.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct lp_port_filter {
	struct list_head node;
	unsigned short port;
};

static const unsigned short lp_blocked_ports[] = { 111, 2049, 20048 };

static LIST_HEAD(lp_filters);
static DEFINE_MUTEX(lp_filters_lock);

static bool lp_port_blocked(unsigned short port)
{
	struct lp_port_filter *f;
	bool blocked = false;

	mutex_lock(&lp_filters_lock);
	list_for_each_entry(f, &lp_filters, node) {
		if (f->port == port) {
			blocked = true;
			break;
		}
	}
	mutex_unlock(&lp_filters_lock);
	return blocked;
}

static int livepatch_inet_bind(void *sock, void *uaddr, int addr_len)
{
	if (addr_len > 0 && lp_port_blocked((unsigned short)addr_len))
		return -EACCES;
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	struct lp_port_filter *f;
	size_t i;

	mutex_lock(&lp_filters_lock); // expect KLP204
	if (!list_empty(&lp_filters)) {
		mutex_unlock(&lp_filters_lock);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(lp_blocked_ports); i++) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f)
			return;
		f->port = lp_blocked_ports[i];
		list_add_tail(&f->node, &lp_filters);
	}
	mutex_unlock(&lp_filters_lock);
}

static void lp_pre_unpatch(struct klp_object *obj)
{
	struct lp_port_filter *f, *tmp;

	mutex_lock(&lp_filters_lock);
	list_for_each_entry_safe(f, tmp, &lp_filters, node) {
		list_del(&f->node);
		kfree(f);
	}
	mutex_unlock(&lp_filters_lock);
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "inet_bind", .new_func = livepatch_inet_bind },
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.funcs = lp_funcs,
		.callbacks = {
			.post_patch = lp_post_patch,
			.pre_unpatch = lp_pre_unpatch,
		},
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
