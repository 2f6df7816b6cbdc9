/* klplint model header <linux/overflow.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_OVERFLOW_H
#define _KLPM_LINUX_OVERFLOW_H

#include <linux/types.h>
#include <linux/limits.h>

/*
 * Saturating size arithmetic as calls; the checked *_overflow() helpers
 * write through a pointer and return true on overflow.
 */
extern size_t array_size(size_t a, size_t b);
extern size_t array3_size(size_t a, size_t b, size_t c);
extern size_t size_add(size_t a, size_t b);
extern size_t size_mul(size_t a, size_t b);
extern size_t size_sub(size_t a, size_t b);
extern bool __klpm_add_overflow(unsigned long long a, unsigned long long b, void *d, size_t dsize);
extern bool __klpm_sub_overflow(unsigned long long a, unsigned long long b, void *d, size_t dsize);
extern bool __klpm_mul_overflow(unsigned long long a, unsigned long long b, void *d, size_t dsize);
#define check_add_overflow(a, b, d)     __klpm_add_overflow((a), (b), (d), sizeof(*(d)))
#define check_sub_overflow(a, b, d)     __klpm_sub_overflow((a), (b), (d), sizeof(*(d)))
#define check_mul_overflow(a, b, d)     __klpm_mul_overflow((a), (b), (d), sizeof(*(d)))

/* Size of a struct with a flexible array member of COUNT elements. */
#define struct_size(p, member, count) \
	size_add(sizeof(*(p)), size_mul(sizeof(*(p)->member), (count)))
#define flex_array_size(p, member, count) size_mul(sizeof(*(p)->member), (count))

#endif /* _KLPM_LINUX_OVERFLOW_H */
