/* klplint model header <linux/stddef.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_STDDEF_H
#define _KLPM_LINUX_STDDEF_H

#include <linux/compiler_types.h>

#undef NULL
#define NULL ((void *)0)

#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L
enum {
	false = 0,
	true = 1
};
#endif

/*
 * The classic offsetof: plain C the pure-Python front end can read.  (In an
 * array bound at file scope compilers call it a folded constant and warn.)
 */
#undef offsetof
#define offsetof(TYPE, MEMBER) ((size_t)&((TYPE *)0)->MEMBER)

#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

/*
 * Offset of MEMBER in the structure PTR points to, without typeof and
 * without evaluating PTR: (1 ? 0 : (ptr)) is a null pointer of PTR's type.
 */
#define __klpm_offsetof_ptr(ptr, member) ((size_t)&((1 ? 0 : (ptr))->member))

/* size_t, used by the macros above. */
#include <linux/types.h>

#endif /* _KLPM_LINUX_STDDEF_H */
