/* klplint model header <linux/build_bug.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BUILD_BUG_H
#define _KLPM_LINUX_BUILD_BUG_H

#include <linux/compiler.h>

/*
 * Compile-time checks through an array whose size turns negative when the
 * condition holds (plain C99, no _Static_assert).
 */
#define BUILD_BUG_ON_ZERO(cond)         ((int)(sizeof(char[1 - 2 * !!(cond)]) - 1))
#define BUILD_BUG_ON(cond)              ((void)sizeof(char[1 - 2 * !!(cond)]))
#define BUILD_BUG_ON_MSG(cond, msg)     BUILD_BUG_ON(cond)
#define BUILD_BUG_ON_NOT_POWER_OF_2(n)  BUILD_BUG_ON((n) == 0 || (((n) & ((n) - 1)) != 0))
#define BUILD_BUG()                     ((void)0)
#define static_assert(expr, ...)        extern int __klpm_static_assert[1 - 2 * !(expr)]

#endif /* _KLPM_LINUX_BUILD_BUG_H */
