/* klplint's model of kpatch's kpatch-macros.h: the macros a kpatch patch author writes in a source
 * diff, with the same names and sections as kpatch-build expects, so that `#include "kpatch-macros.h"`
 * resolves without kpatch installed. Written for klplint; it declares what klplint reads (the
 * callback records in .kpatch.callbacks.* sections) and keeps the other macros as harmless no-ops. */
#ifndef __KPATCH_MACROS_H_
#define __KPATCH_MACROS_H_

#include <linux/compiler.h>
#include <linux/livepatch.h>

typedef struct klp_object patch_object;

typedef int (*kpatch_pre_patch_call_t)(patch_object *obj);
typedef void (*kpatch_post_patch_call_t)(patch_object *obj);
typedef void (*kpatch_pre_unpatch_call_t)(patch_object *obj);
typedef void (*kpatch_post_unpatch_call_t)(patch_object *obj);

/* One record per callback; kpatch-build fills objname with the object the file belongs to. */
struct kpatch_pre_patch_callback { kpatch_pre_patch_call_t fn; char *objname; };
struct kpatch_post_patch_callback { kpatch_post_patch_call_t fn; char *objname; };
struct kpatch_pre_unpatch_callback { kpatch_pre_unpatch_call_t fn; char *objname; };
struct kpatch_post_unpatch_callback { kpatch_post_unpatch_call_t fn; char *objname; };

#define KPATCH_PRE_PATCH_CALLBACK(_fn) \
	static struct kpatch_pre_patch_callback kpatch_pre_patch_data \
	__attribute__((__section__(".kpatch.callbacks.pre_patch"), __used__)) = { .fn = _fn, .objname = 0 }
#define KPATCH_POST_PATCH_CALLBACK(_fn) \
	static struct kpatch_post_patch_callback kpatch_post_patch_data \
	__attribute__((__section__(".kpatch.callbacks.post_patch"), __used__)) = { .fn = _fn, .objname = 0 }
#define KPATCH_PRE_UNPATCH_CALLBACK(_fn) \
	static struct kpatch_pre_unpatch_callback kpatch_pre_unpatch_data \
	__attribute__((__section__(".kpatch.callbacks.pre_unpatch"), __used__)) = { .fn = _fn, .objname = 0 }
#define KPATCH_POST_UNPATCH_CALLBACK(_fn) \
	static struct kpatch_post_unpatch_callback kpatch_post_unpatch_data \
	__attribute__((__section__(".kpatch.callbacks.post_unpatch"), __used__)) = { .fn = _fn, .objname = 0 }

/* Sections and functions kpatch-build is told to ignore when it compares objects. */
#define __KPATCH_CAT2(a, b) a##b
#define __KPATCH_CAT(a, b) __KPATCH_CAT2(a, b)
#define KPATCH_IGNORE_SECTION(_sec) \
	static char *__KPATCH_CAT(__kpatch_ignore_section_, __COUNTER__) __attribute__((__section__(".kpatch.ignore.sections"), __used__)) = _sec
#define KPATCH_IGNORE_FUNCTION(_fn) \
	static void *__kpatch_ignore_func_##_fn __attribute__((__section__(".kpatch.ignore.functions"), __used__)) = _fn
#define KPATCH_FORCE_UNSAFE(_fn) \
	static void *__kpatch_force_func_##_fn __attribute__((__section__(".kpatch.force"), __used__)) = _fn

/* kpatch-build rewrites printk in patched code; for the analysis it is printk. */
#define KPATCH_PRINTK(_fmt, ...) printk(_fmt, ##__VA_ARGS__)

#endif /* __KPATCH_MACROS_H_ */
