/* klplint model header <linux/livepatch.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_LIVEPATCH_H
#define _KLPM_LINUX_LIVEPATCH_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/ftrace.h>
#include <linux/completion.h>

/*
 * Both generations of the livepatch API in one header:
 *  - hooks era: klp_object.patch_hooks / .unpatch_hooks (arrays of struct
 *    klp_hook ending with a NULL .hook), klp_register_patch(),
 *    klp_enable_patch(), klp_disable_patch(), klp_unregister_patch(), and
 *    the .immediate flags;
 *  - callbacks era (4.15+): klp_object.callbacks, klp_enable_patch() from
 *    module_init (5.1+), .replace, struct klp_state (5.5+), shadow variables.
 * Fields marked "core" are written by the livepatch core, not by authors.
 */

struct klp_object;
struct task_struct;

/* Transition state of a task or a patch. */
#define KLP_UNDEFINED   -1
#define KLP_UNPATCHED    0
#define KLP_PATCHED      1

/* One function to replace: ends at an entry without old_name, new_func, old_sympos. */
struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
	bool immediate;
	/* core */
	void *old_func;
	unsigned long old_size;
	unsigned long new_size;
	bool nop;
	bool patched;
	bool transition;
};

/* hooks era: one hook; an array of them ends at a NULL .hook. */
struct klp_hook {
	int (*hook)(struct klp_object *obj);
};

/* callbacks era: at most one of each per object, all optional. */
struct klp_callbacks {
	int (*pre_patch)(struct klp_object *obj);
	void (*post_patch)(struct klp_object *obj);
	void (*pre_unpatch)(struct klp_object *obj);
	void (*post_unpatch)(struct klp_object *obj);
	/* core: pre_patch succeeded, so post_unpatch is due */
	bool post_unpatch_enabled;
};

/* vmlinux (name == NULL) or a module; an array ends at an entry without funcs and name. */
struct klp_object {
	const char *name;
	struct klp_func *funcs;
	struct klp_hook *patch_hooks;
	struct klp_hook *unpatch_hooks;
	struct klp_callbacks callbacks;
	/* core: the loaded module, NULL for vmlinux or a module not loaded */
	struct module *mod;
	bool dynamic;
	bool patched;
};

/* The static walks of the tables, as the 6.1 header spells them (the argument is a pointer). */
#define klp_for_each_object_static(patch, obj) \
	for (obj = patch->objs; obj->funcs || obj->name; obj++)
#define klp_for_each_func_static(obj, func) \
	for (func = obj->funcs; func->old_name || func->new_func || func->old_sympos; func++)

/* A system state a patch installs; an array ends at id == 0. */
struct klp_state {
	unsigned long id;
	unsigned int version;
	void *data;
};

struct klp_patch {
	struct module *mod;
	struct klp_object *objs;
	struct klp_state *states;
	bool replace;
	bool immediate;
	/* core */
	bool enabled;
	bool forced;
};

/* Patch life cycle (register/disable/unregister: before 5.1 only). */
extern int klp_enable_patch(struct klp_patch *patch);
extern int klp_register_patch(struct klp_patch *patch);
extern int klp_unregister_patch(struct klp_patch *patch);
extern int klp_disable_patch(struct klp_patch *patch);

/* Shadow variables: ctor/dtor run under a spinlock with interrupts off. */
typedef int (*klp_shadow_ctor_t)(void *obj, void *shadow_data, void *ctor_data);
typedef void (*klp_shadow_dtor_t)(void *obj, void *shadow_data);

extern void *klp_shadow_get(void *obj, unsigned long id);
extern void *klp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
			      klp_shadow_ctor_t ctor, void *ctor_data);
extern void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
				     klp_shadow_ctor_t ctor, void *ctor_data);
extern void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor);
extern void klp_shadow_free_all(unsigned long id, klp_shadow_dtor_t dtor);

/* System states (5.5+); klp_get_prev_state is only valid during a transition. */
extern struct klp_state *klp_get_state(struct klp_patch *patch, unsigned long id);
extern struct klp_state *klp_get_prev_state(unsigned long id);

/* Kernel-internal helper that modules copy: true when obj names a module. */
extern bool klp_is_module(struct klp_object *obj);

/* Per-task transition state. */
extern void klp_update_patch_state(struct task_struct *task);
extern bool klp_patch_pending(struct task_struct *task);

#endif /* _KLPM_LINUX_LIVEPATCH_H */
