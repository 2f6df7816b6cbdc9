/* SPDX-License-Identifier: MIT */
/*
 * klp_hooks_compat.h - build a livepatch module written for the hooks API
 * (struct klp_hook, klp_object.patch_hooks/.unpatch_hooks, klp_register_patch,
 * klp_func/klp_patch.immediate) against a kernel that only has the callbacks
 * API (Debian's 6.1), so that klplint's oracle can run it for confirmation.
 *
 * klplint's oracle force-includes this file (-include) when it builds a module
 * whose source uses hooks. It includes the real <linux/livepatch.h> first, then
 * renames the author-visible types and entry points to compat ones:
 *
 *   struct klp_object/klp_func/klp_patch -> struct klp_compat_object/...
 *   klp_register_patch/klp_enable_patch/klp_disable_patch/klp_unregister_patch
 *
 * At registration (or at enable when the module does not register) the compat
 * patch is converted into a real 6.1 patch, walking the arrays as the hooks-era
 * core did (objects while funcs || name, funcs while old_name || new_func ||
 * old_sympos, hooks while hook != NULL). Each real object gets a pre_patch that
 * runs the object's patch hooks in order, logging a non-zero return and
 * returning 0, and a post_unpatch that does the same for its unpatch hooks.
 * Patch hooks then run right before the object is patched (for a module loading
 * later: in COMING, before its init) and unpatch hooks after it is unpatched
 * (for a module unloading: in GOING, after its exit).
 *
 * A hook receives the compat object; its core-owned fields mod and patched are
 * copied from the real object just before the hook runs.
 *
 * Not reproduced: re-enabling a disabled patch (6.1 frees a patch once
 * disabled) and klp_disable_patch() from code (6.1 has no such API: it returns
 * -EOPNOTSUPP; disable through sysfs).
 */
#ifndef KLP_HOOKS_COMPAT_H
#define KLP_HOOKS_COMPAT_H

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/livepatch.h>

struct klp_compat_object;

struct klp_hook {
	int (*hook)(struct klp_compat_object *obj);
};

struct klp_compat_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
	bool immediate;
};

struct klp_compat_object {
	/* external */
	const char *name;
	struct klp_compat_func *funcs;
	struct klp_hook *patch_hooks;
	struct klp_hook *unpatch_hooks;
	/* core-owned, as a hook sees them */
	struct module *mod;
	bool patched;
	/* compat-owned */
	struct klp_object *klp_compat_real;
};

struct klp_compat_patch {
	/* external */
	struct module *mod;
	struct klp_compat_object *objs;
	bool immediate;
	/* compat-owned */
	struct klp_patch *klp_compat_real;
	struct klp_object *klp_compat_real_objs;
	int klp_compat_nr_objs;
	struct list_head klp_compat_node;
};

static LIST_HEAD(klp_compat_patches);
static DEFINE_MUTEX(klp_compat_lock);

MODULE_INFO(livepatch, "Y");

#define klp_compat_for_each_object(objs, o) \
	for ((o) = (objs); (o)->funcs || (o)->name; (o)++)
#define klp_compat_for_each_func(funcs, f) \
	for ((f) = (funcs); (f)->old_name || (f)->new_func || (f)->old_sympos; (f)++)
#define klp_compat_for_each_hook(hooks, h) \
	for ((h) = (hooks); (h) && (h)->hook; (h)++)

static struct klp_compat_object *klp_compat_find(struct klp_object *real)
{
	struct klp_compat_patch *p;
	struct klp_compat_object *found = NULL;

	mutex_lock(&klp_compat_lock);
	list_for_each_entry(p, &klp_compat_patches, klp_compat_node) {
		if (real >= p->klp_compat_real_objs &&
		    real < p->klp_compat_real_objs + p->klp_compat_nr_objs) {
			found = &p->objs[real - p->klp_compat_real_objs];
			break;
		}
	}
	mutex_unlock(&klp_compat_lock);
	return found;
}

static void klp_compat_run_hooks(struct klp_object *real, bool patch_side)
{
	struct klp_compat_object *obj = klp_compat_find(real);
	struct klp_hook *hook;
	int ret;

	if (!obj)
		return;
	obj->mod = real->mod;
	obj->patched = real->patched;
	klp_compat_for_each_hook(patch_side ? obj->patch_hooks : obj->unpatch_hooks, hook) {
		ret = hook->hook(obj);
		if (ret)
			pr_warn("klp_hooks_compat: %s hook %ps of object '%s' returned %d\n",
				patch_side ? "patch" : "unpatch", hook->hook,
				obj->name ? obj->name : "vmlinux", ret);
	}
	if (!patch_side && real->mod && real->mod->state == MODULE_STATE_GOING)
		obj->mod = NULL;
}

static int klp_compat_pre_patch(struct klp_object *real)
{
	klp_compat_run_hooks(real, true);
	return 0;
}

static void klp_compat_post_unpatch(struct klp_object *real)
{
	klp_compat_run_hooks(real, false);
}

static void klp_compat_free(struct klp_compat_patch *patch)
{
	int i;

	if (patch->klp_compat_real_objs) {
		for (i = 0; i < patch->klp_compat_nr_objs; i++)
			kfree(patch->klp_compat_real_objs[i].funcs);
		kfree(patch->klp_compat_real_objs);
	}
	kfree(patch->klp_compat_real);
	patch->klp_compat_real = NULL;
	patch->klp_compat_real_objs = NULL;
	patch->klp_compat_nr_objs = 0;
}

static int __maybe_unused klp_compat_register_patch(struct klp_compat_patch *patch)
{
	struct klp_compat_object *obj;
	struct klp_compat_func *func;
	struct klp_object *robj;
	int nobj = 0, nfunc, i, j;

	if (!patch || !patch->objs)
		return -EINVAL;
	if (patch->klp_compat_real)
		return -EINVAL;		/* registered twice */
	klp_compat_for_each_object(patch->objs, obj)
		nobj++;
	patch->klp_compat_real = kzalloc(sizeof(*patch->klp_compat_real), GFP_KERNEL);
	patch->klp_compat_real_objs = kcalloc(nobj + 1, sizeof(struct klp_object), GFP_KERNEL);
	if (!patch->klp_compat_real || !patch->klp_compat_real_objs)
		goto nomem;
	patch->klp_compat_nr_objs = nobj;
	for (i = 0; i < nobj; i++) {
		obj = &patch->objs[i];
		robj = &patch->klp_compat_real_objs[i];
		obj->klp_compat_real = robj;
		robj->name = obj->name;
		robj->callbacks.pre_patch = klp_compat_pre_patch;
		robj->callbacks.post_unpatch = klp_compat_post_unpatch;
		if (!obj->funcs)
			continue;	/* the real core refuses it: -EINVAL, as the hooks-era core did */
		nfunc = 0;
		klp_compat_for_each_func(obj->funcs, func)
			nfunc++;
		robj->funcs = kcalloc(nfunc + 1, sizeof(struct klp_func), GFP_KERNEL);
		if (!robj->funcs)
			goto nomem;
		for (j = 0; j < nfunc; j++) {
			robj->funcs[j].old_name = obj->funcs[j].old_name;
			robj->funcs[j].new_func = obj->funcs[j].new_func;
			robj->funcs[j].old_sympos = obj->funcs[j].old_sympos;
		}
	}
	patch->klp_compat_real->mod = patch->mod;
	patch->klp_compat_real->objs = patch->klp_compat_real_objs;
	mutex_lock(&klp_compat_lock);
	list_add(&patch->klp_compat_node, &klp_compat_patches);
	mutex_unlock(&klp_compat_lock);
	return 0;
nomem:
	klp_compat_free(patch);
	return -ENOMEM;
}

static int __maybe_unused klp_compat_enable_patch(struct klp_compat_patch *patch)
{
	int ret;

	if (!patch)
		return -EINVAL;
	if (!patch->klp_compat_real) {
		ret = klp_compat_register_patch(patch);
		if (ret)
			return ret;
	}
	return klp_enable_patch(patch->klp_compat_real);
}

static int __maybe_unused klp_compat_disable_patch(struct klp_compat_patch *patch)
{
	pr_warn("klp_hooks_compat: klp_disable_patch() does not exist on this kernel; "
		"disable through /sys/kernel/livepatch/<patch>/enabled\n");
	return -EOPNOTSUPP;
}

static int __maybe_unused klp_compat_unregister_patch(struct klp_compat_patch *patch)
{
	if (!patch || !patch->klp_compat_real)
		return -EINVAL;
	if (patch->klp_compat_real->enabled)
		return -EBUSY;
	mutex_lock(&klp_compat_lock);
	list_del(&patch->klp_compat_node);
	mutex_unlock(&klp_compat_lock);
	klp_compat_free(patch);
	return 0;
}

#define klp_object		klp_compat_object
#define klp_func		klp_compat_func
#define klp_patch		klp_compat_patch
#define klp_register_patch	klp_compat_register_patch
#define klp_enable_patch	klp_compat_enable_patch
#define klp_disable_patch	klp_compat_disable_patch
#define klp_unregister_patch	klp_compat_unregister_patch

#endif /* KLP_HOOKS_COMPAT_H */
