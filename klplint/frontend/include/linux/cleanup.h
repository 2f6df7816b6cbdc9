/* klplint model header <linux/cleanup.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CLEANUP_H
#define _KLPM_LINUX_CLEANUP_H

#include <linux/compiler.h>

/*
 * Scope-based cleanup (Linux 6.5 and later), with the kernel's interface:
 * a variable declared with __cleanup(fn) has fn(&variable) called when its
 * scope ends, on every way out of it (end of block, return, break, goto).
 * The helpers the macros define are static inline functions; klplint lowers
 * the ones a file's variables name and runs them at scope exit.
 */
#define __cleanup(func)			__attribute__((__cleanup__(func)))

/* DEFINE_FREE(name, type, release): __free(name) runs `release` with _T = the variable's value. */
#define DEFINE_FREE(_name, _type, _free)				\
	static inline void __free_##_name(void *p)			\
	{								\
		_type _T = *(_type *)p;					\
		_free;							\
	}
#define __free(_name)			__cleanup(__free_##_name)

/* Hand the value out of the scope: the variable is NULL when its cleanup runs. */
#define no_free_ptr(p)							\
	({ __auto_type __klpm_kept = (p); (p) = NULL; __klpm_kept; })
#define return_ptr(p)			return no_free_ptr(p)
#define retain_and_null_ptr(p)		((void)no_free_ptr(p))

/*
 * DEFINE_CLASS(name, type, exit, init, init params...): CLASS(name, var)(args)
 * declares `var` initialised by `init` and released by `exit` (with _T = var).
 */
#define DEFINE_CLASS(_name, _type, _exit, _init, _init_args...)	\
	typedef _type class_##_name##_t;				\
	static inline void class_##_name##_destructor(_type *p)	\
	{								\
		_type _T = *p;						\
		_exit;							\
	}								\
	static inline _type class_##_name##_constructor(_init_args)	\
	{								\
		return _init;						\
	}
#define CLASS(_name, var)						\
	class_##_name##_t var __cleanup(class_##_name##_destructor) =	\
		class_##_name##_constructor

/* DEFINE_GUARD(name, lock pointer type, lock, unlock): guard(name)(&lock) holds it to the scope's end. */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)			\
	typedef _type class_##_name##_t;				\
	static inline void class_##_name##_destructor(_type *p)	\
	{								\
		_type _T = *p;						\
		if (_T) {						\
			_unlock;					\
		}							\
	}								\
	static inline _type class_##_name##_constructor(_type _T)	\
	{								\
		_lock;							\
		return _T;						\
	}
#define guard(_name)			CLASS(_name, __UNIQUE_ID(guard))
/* scoped_guard(name, args) statement: held for that statement only (a loop that runs once). */
#define scoped_guard(_name, args...)					\
	for (CLASS(_name, scope)(args), *__klpm_done = NULL;		\
	     !__klpm_done; __klpm_done = (void *)1)

#endif /* _KLPM_LINUX_CLEANUP_H */
