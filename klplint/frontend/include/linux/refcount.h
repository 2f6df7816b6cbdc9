/* klplint model header <linux/refcount.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_REFCOUNT_H
#define _KLPM_LINUX_REFCOUNT_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/limits.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)        { .refs = ATOMIC_INIT(n) }
#define REFCOUNT_MAX            INT_MAX

extern void refcount_set(refcount_t *r, int n);
extern unsigned int refcount_read(const refcount_t *r);
extern void refcount_inc(refcount_t *r);
extern void refcount_dec(refcount_t *r);
extern void refcount_add(int i, refcount_t *r);
extern bool __must_check refcount_inc_not_zero(refcount_t *r);
extern bool __must_check refcount_add_not_zero(int i, refcount_t *r);
extern bool __must_check refcount_dec_and_test(refcount_t *r);
extern bool __must_check refcount_sub_and_test(int i, refcount_t *r);
extern bool __must_check refcount_dec_not_one(refcount_t *r);
extern bool __must_check refcount_dec_if_one(refcount_t *r);

#endif /* _KLPM_LINUX_REFCOUNT_H */
