/* klplint model header <linux/log2.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_LOG2_H
#define _KLPM_LINUX_LOG2_H

#include <linux/types.h>

extern int ilog2(unsigned long v);
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
extern unsigned long roundup_pow_of_two(unsigned long n);

#endif /* _KLPM_LINUX_LOG2_H */
