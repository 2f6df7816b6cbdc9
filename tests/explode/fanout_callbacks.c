// Shaped to explode the executor (tests/test_budget.py, bench/explode.py): fan-out. Nine objects
// (vmlinux and eight modules), every one with all four callbacks, all sharing one table of
// per-target state: the scenarios load and unload the modules in many orders, and each callback
// forks on an allocation and on the target's state, so every step multiplies the paths.
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/livepatch.h>

struct target_state {
	int users;
	void *cookie;
};

static struct target_state *state_of[16];

static int slot(struct klp_object *obj)
{
	int i = 0;

	if (!obj->name)
		return 0;
	while (obj->name[i] && i < 8)
		i++;
	return i;
}

static int fan_pre(struct klp_object *obj)
{
	int s = slot(obj);
	struct target_state *t = state_of[s];

	if (!t) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		if (!t)
			return -ENOMEM;
		state_of[s] = t;
	}
	if (obj->mod && obj->mod->state == MODULE_STATE_COMING)
		t->users += 2;
	else
		t->users++;
	t->cookie = kmalloc(32, GFP_KERNEL);
	return t->cookie ? 0 : -ENOMEM;
}

static void fan_post(struct klp_object *obj)
{
	struct target_state *t = state_of[slot(obj)];

	if (t && t->users > 1)
		pr_info("%s: shared\n", obj->name ? obj->name : "vmlinux");
}

static void fan_pre_unpatch(struct klp_object *obj)
{
	struct target_state *t = state_of[slot(obj)];

	if (t && t->cookie) {
		kfree(t->cookie);
		t->cookie = NULL;
	}
}

static void fan_post_unpatch(struct klp_object *obj)
{
	int s = slot(obj);
	struct target_state *t = state_of[s];

	if (!t)
		return;
	if (--t->users <= 0) {
		kfree(t->cookie);
		kfree(t);
		state_of[s] = NULL;
	}
}

#define FAN_CALLBACKS { .pre_patch = fan_pre, .post_patch = fan_post, \
			.pre_unpatch = fan_pre_unpatch, .post_unpatch = fan_post_unpatch }

static int lp_vmlinux_fn(void) { return 0; }
static int lp_ext4_fn(void) { return 0; }
static int lp_xfs_fn(void) { return 0; }
static int lp_btrfs_fn(void) { return 0; }
static int lp_nfsd_fn(void) { return 0; }
static int lp_kvm_fn(void) { return 0; }
static int lp_i915_fn(void) { return 0; }
static int lp_e1000e_fn(void) { return 0; }
static int lp_usbcore_fn(void) { return 0; }

static struct klp_func vmlinux_funcs[] = { { .old_name = "vfs_fsync", .new_func = lp_vmlinux_fn }, { } };
static struct klp_func ext4_funcs[] = { { .old_name = "ext4_sync", .new_func = lp_ext4_fn }, { } };
static struct klp_func xfs_funcs[] = { { .old_name = "xfs_sync", .new_func = lp_xfs_fn }, { } };
static struct klp_func btrfs_funcs[] = { { .old_name = "btrfs_sync", .new_func = lp_btrfs_fn }, { } };
static struct klp_func nfsd_funcs[] = { { .old_name = "nfsd_sync", .new_func = lp_nfsd_fn }, { } };
static struct klp_func kvm_funcs[] = { { .old_name = "kvm_sync", .new_func = lp_kvm_fn }, { } };
static struct klp_func i915_funcs[] = { { .old_name = "i915_sync", .new_func = lp_i915_fn }, { } };
static struct klp_func e1000e_funcs[] = { { .old_name = "e1000e_sync", .new_func = lp_e1000e_fn }, { } };
static struct klp_func usbcore_funcs[] = { { .old_name = "usbcore_sync", .new_func = lp_usbcore_fn }, { } };

static struct klp_object objs[] = {
	{ .funcs = vmlinux_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "ext4", .funcs = ext4_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "xfs", .funcs = xfs_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "btrfs", .funcs = btrfs_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "nfsd", .funcs = nfsd_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "kvm", .funcs = kvm_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "i915", .funcs = i915_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "e1000e", .funcs = e1000e_funcs, .callbacks = FAN_CALLBACKS },
	{ .name = "usbcore", .funcs = usbcore_funcs, .callbacks = FAN_CALLBACKS },
	{ }
};

static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };

static int __init fanout_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit fanout_exit(void)
{
}

module_init(fanout_init);
module_exit(fanout_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
