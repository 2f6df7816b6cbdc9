/* klplint model header <linux/minmax.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MINMAX_H
#define _KLPM_LINUX_MINMAX_H

/* Plain conditional expressions (arguments may be evaluated twice). */
#define min(x, y)               ((x) < (y) ? (x) : (y))
#define max(x, y)               ((x) > (y) ? (x) : (y))
#define min3(x, y, z)           min(min(x, y), z)
#define max3(x, y, z)           max(max(x, y), z)
#define min_t(type, x, y)       ((type)(x) < (type)(y) ? (type)(x) : (type)(y))
#define max_t(type, x, y)       ((type)(x) > (type)(y) ? (type)(x) : (type)(y))
#define min_not_zero(x, y)      ((x) == 0 ? (y) : ((y) == 0 ? (x) : min(x, y)))
#define clamp(val, lo, hi)      min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)  clamp(val, lo, hi)
#define swap(a, b)              do { char __klpm_swap_tmp[sizeof(a)]; \
	__klpm_swap_bytes(__klpm_swap_tmp, &(a), &(b), sizeof(a)); } while (0)

extern void __klpm_swap_bytes(void *tmp, void *a, void *b, unsigned long size);

#endif /* _KLPM_LINUX_MINMAX_H */
