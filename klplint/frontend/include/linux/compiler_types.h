/* klplint model header <linux/compiler_types.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_COMPILER_TYPES_H
#define _KLPM_LINUX_COMPILER_TYPES_H

#include <linux/kconfig.h>
#include <linux/stringify.h>
#include <linux/compiler_attributes.h>

/* sparse annotations: no meaning for the model. */
#define __user
#define __kernel
#define __iomem
#define __rcu
#define __percpu
#define __force
#define __safe
#define __private
#define __nocast
#define __bitwise
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x)            ((void)0)
#define __release(x)            ((void)0)
#define __cond_lock(x, c)       (c)
#define ACCESS_PRIVATE(p, member) ((p)->member)

/* Linkage and placement. */
#define asmlinkage
#define __kprobes               __section(".kprobes.text")
#define noinstr                 __section(".noinstr.text") notrace
#define __ro_after_init         __section(".data..ro_after_init")

/* Token pasting and unique identifiers. */
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#endif /* _KLPM_LINUX_COMPILER_TYPES_H */
