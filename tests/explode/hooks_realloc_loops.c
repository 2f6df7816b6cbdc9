// Shaped to explode the executor (tests/test_budget.py, bench/explode.py): an ordinary-looking
// hooks-API patch, six patch and six unpatch hooks each resizing a buffer with krealloc() in a
// short loop. Each iteration forks on the allocation; the twelve hooks run back to back inside
// klp_enable_patch() and at disable, so the states they leave multiply from hook to hook.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

#define RING_STEPS 4

static char *ring_buf[6];
static size_t ring_len[6];
static unsigned int grow_by = 32;
module_param(grow_by, uint, 0644);

static long lp_ring_poll(void) { return 0; }

static int rx_ring_grow(struct klp_object *obj)
{
	int i;
	for (i = 0; i < RING_STEPS; i++) {
		char *n = krealloc(ring_buf[0], ring_len[0] + grow_by, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		ring_buf[0] = n;
		ring_len[0] += grow_by;
	}
	return 0;
}

static int tx_ring_grow(struct klp_object *obj)
{
	int i;
	for (i = 0; i < RING_STEPS; i++) {
		char *n = krealloc(ring_buf[1], ring_len[1] + grow_by, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		ring_buf[1] = n;
		ring_len[1] += grow_by;
	}
	return 0;
}

static int ctl_ring_grow(struct klp_object *obj)
{
	int i;
	for (i = 0; i < RING_STEPS; i++) {
		char *n = krealloc(ring_buf[2], ring_len[2] + grow_by, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		ring_buf[2] = n;
		ring_len[2] += grow_by;
	}
	return 0;
}

static int evt_ring_grow(struct klp_object *obj)
{
	int i;
	for (i = 0; i < RING_STEPS; i++) {
		char *n = krealloc(ring_buf[3], ring_len[3] + grow_by, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		ring_buf[3] = n;
		ring_len[3] += grow_by;
	}
	return 0;
}

static int log_ring_grow(struct klp_object *obj)
{
	int i;
	for (i = 0; i < RING_STEPS; i++) {
		char *n = krealloc(ring_buf[4], ring_len[4] + grow_by, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		ring_buf[4] = n;
		ring_len[4] += grow_by;
	}
	return 0;
}

static int aux_ring_grow(struct klp_object *obj)
{
	int i;
	for (i = 0; i < RING_STEPS; i++) {
		char *n = krealloc(ring_buf[5], ring_len[5] + grow_by, GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		ring_buf[5] = n;
		ring_len[5] += grow_by;
	}
	return 0;
}

static int rx_ring_shrink(struct klp_object *obj)
{
	while (ring_len[0] > grow_by) {
		char *n = krealloc(ring_buf[0], ring_len[0] / 2, GFP_KERNEL);
		if (!n)
			break;
		ring_buf[0] = n;
		ring_len[0] /= 2;
	}
	kfree(ring_buf[0]);
	ring_buf[0] = NULL;
	return 0;
}

static int tx_ring_shrink(struct klp_object *obj)
{
	while (ring_len[1] > grow_by) {
		char *n = krealloc(ring_buf[1], ring_len[1] / 2, GFP_KERNEL);
		if (!n)
			break;
		ring_buf[1] = n;
		ring_len[1] /= 2;
	}
	kfree(ring_buf[1]);
	ring_buf[1] = NULL;
	return 0;
}

static int ctl_ring_shrink(struct klp_object *obj)
{
	while (ring_len[2] > grow_by) {
		char *n = krealloc(ring_buf[2], ring_len[2] / 2, GFP_KERNEL);
		if (!n)
			break;
		ring_buf[2] = n;
		ring_len[2] /= 2;
	}
	kfree(ring_buf[2]);
	ring_buf[2] = NULL;
	return 0;
}

static int evt_ring_shrink(struct klp_object *obj)
{
	while (ring_len[3] > grow_by) {
		char *n = krealloc(ring_buf[3], ring_len[3] / 2, GFP_KERNEL);
		if (!n)
			break;
		ring_buf[3] = n;
		ring_len[3] /= 2;
	}
	kfree(ring_buf[3]);
	ring_buf[3] = NULL;
	return 0;
}

static int log_ring_shrink(struct klp_object *obj)
{
	while (ring_len[4] > grow_by) {
		char *n = krealloc(ring_buf[4], ring_len[4] / 2, GFP_KERNEL);
		if (!n)
			break;
		ring_buf[4] = n;
		ring_len[4] /= 2;
	}
	kfree(ring_buf[4]);
	ring_buf[4] = NULL;
	return 0;
}

static int aux_ring_shrink(struct klp_object *obj)
{
	while (ring_len[5] > grow_by) {
		char *n = krealloc(ring_buf[5], ring_len[5] / 2, GFP_KERNEL);
		if (!n)
			break;
		ring_buf[5] = n;
		ring_len[5] /= 2;
	}
	kfree(ring_buf[5]);
	ring_buf[5] = NULL;
	return 0;
}

static struct klp_hook grow_hooks[] = {
	{ .hook = rx_ring_grow },
	{ .hook = tx_ring_grow },
	{ .hook = ctl_ring_grow },
	{ .hook = evt_ring_grow },
	{ .hook = log_ring_grow },
	{ .hook = aux_ring_grow },
	{ }
};
static struct klp_hook shrink_hooks[] = {
	{ .hook = rx_ring_shrink },
	{ .hook = tx_ring_shrink },
	{ .hook = ctl_ring_shrink },
	{ .hook = evt_ring_shrink },
	{ .hook = log_ring_shrink },
	{ .hook = aux_ring_shrink },
	{ }
};
static struct klp_func ring_funcs[] = { { .old_name = "ring_poll", .new_func = lp_ring_poll, }, { } };
static struct klp_object ring_objs[] = {
	{ .funcs = ring_funcs, .patch_hooks = grow_hooks, .unpatch_hooks = shrink_hooks, },
	{ }
};
static struct klp_patch ring_patch = { .mod = THIS_MODULE, .objs = ring_objs, };

static int __init ring_patch_init(void)
{
	int ret = klp_register_patch(&ring_patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&ring_patch);
	if (ret)
		WARN_ON(klp_unregister_patch(&ring_patch));
	return ret;
}

static void __exit ring_patch_exit(void)
{
	WARN_ON(klp_unregister_patch(&ring_patch));
}

module_init(ring_patch_init);
module_exit(ring_patch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
