/* klplint model header <linux/math64.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MATH64_H
#define _KLPM_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64(u64 dividend, u32 divisor) { return dividend / divisor; }
static inline s64 div_s64(s64 dividend, s32 divisor) { return dividend / divisor; }
static inline u64 div64_u64(u64 dividend, u64 divisor) { return dividend / divisor; }

#endif /* _KLPM_LINUX_MATH64_H */
