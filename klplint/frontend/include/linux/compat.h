/* klplint model header <linux/compat.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_COMPAT_H
#define _KLPM_LINUX_COMPAT_H

#include <linux/types.h>

typedef u32 compat_uptr_t;
typedef s32 compat_int_t;
typedef u32 compat_ulong_t;
extern bool in_compat_syscall(void);

#endif /* _KLPM_LINUX_COMPAT_H */
