/* klplint model header <linux/kmemleak.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KMEMLEAK_H
#define _KLPM_LINUX_KMEMLEAK_H

#include <linux/types.h>

extern void kmemleak_not_leak(const void *ptr);
extern void kmemleak_ignore(const void *ptr);

#endif /* _KLPM_LINUX_KMEMLEAK_H */
