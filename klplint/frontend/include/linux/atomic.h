/* klplint model header <linux/atomic.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_ATOMIC_H
#define _KLPM_LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/barrier.h>

/*
 * atomic_t, atomic64_t and atomic_long_t (with ATOMIC_INIT) are in
 * <linux/types.h>; every operation is a call.
 */

/* atomic_t */
extern int atomic_read(const atomic_t *v);
extern void atomic_set(atomic_t *v, int i);
extern void atomic_add(int i, atomic_t *v);
extern void atomic_sub(int i, atomic_t *v);
extern void atomic_and(int i, atomic_t *v);
extern void atomic_or(int i, atomic_t *v);
extern void atomic_xor(int i, atomic_t *v);
extern void atomic_andnot(int i, atomic_t *v);
extern void atomic_inc(atomic_t *v);
extern void atomic_dec(atomic_t *v);
extern int atomic_add_return(int i, atomic_t *v);
extern int atomic_sub_return(int i, atomic_t *v);
extern int atomic_fetch_add(int i, atomic_t *v);
extern int atomic_fetch_sub(int i, atomic_t *v);
extern int atomic_fetch_and(int i, atomic_t *v);
extern int atomic_fetch_or(int i, atomic_t *v);
extern int atomic_fetch_xor(int i, atomic_t *v);
extern int atomic_inc_return(atomic_t *v);
extern int atomic_dec_return(atomic_t *v);
extern int atomic_fetch_inc(atomic_t *v);
extern int atomic_fetch_dec(atomic_t *v);
extern bool atomic_dec_and_test(atomic_t *v);
extern bool atomic_inc_and_test(atomic_t *v);
extern bool atomic_sub_and_test(int i, atomic_t *v);
extern bool atomic_add_negative(int i, atomic_t *v);
extern bool atomic_inc_not_zero(atomic_t *v);
extern bool atomic_add_unless(atomic_t *v, int a, int u);
extern int atomic_fetch_add_unless(atomic_t *v, int a, int u);
extern int atomic_xchg(atomic_t *v, int new_value);
extern int atomic_cmpxchg(atomic_t *v, int old, int new_value);
extern bool atomic_try_cmpxchg(atomic_t *v, int *old, int new_value);
extern int atomic_read_acquire(const atomic_t *v);
extern void atomic_set_release(atomic_t *v, int i);

/* atomic64_t */
extern s64 atomic64_read(const atomic64_t *v);
extern void atomic64_set(atomic64_t *v, s64 i);
extern void atomic64_add(s64 i, atomic64_t *v);
extern void atomic64_sub(s64 i, atomic64_t *v);
extern void atomic64_and(s64 i, atomic64_t *v);
extern void atomic64_or(s64 i, atomic64_t *v);
extern void atomic64_xor(s64 i, atomic64_t *v);
extern void atomic64_andnot(s64 i, atomic64_t *v);
extern void atomic64_inc(atomic64_t *v);
extern void atomic64_dec(atomic64_t *v);
extern s64 atomic64_add_return(s64 i, atomic64_t *v);
extern s64 atomic64_sub_return(s64 i, atomic64_t *v);
extern s64 atomic64_fetch_add(s64 i, atomic64_t *v);
extern s64 atomic64_fetch_sub(s64 i, atomic64_t *v);
extern s64 atomic64_fetch_and(s64 i, atomic64_t *v);
extern s64 atomic64_fetch_or(s64 i, atomic64_t *v);
extern s64 atomic64_fetch_xor(s64 i, atomic64_t *v);
extern s64 atomic64_inc_return(atomic64_t *v);
extern s64 atomic64_dec_return(atomic64_t *v);
extern s64 atomic64_fetch_inc(atomic64_t *v);
extern s64 atomic64_fetch_dec(atomic64_t *v);
extern bool atomic64_dec_and_test(atomic64_t *v);
extern bool atomic64_inc_and_test(atomic64_t *v);
extern bool atomic64_sub_and_test(s64 i, atomic64_t *v);
extern bool atomic64_add_negative(s64 i, atomic64_t *v);
extern bool atomic64_inc_not_zero(atomic64_t *v);
extern bool atomic64_add_unless(atomic64_t *v, s64 a, s64 u);
extern s64 atomic64_fetch_add_unless(atomic64_t *v, s64 a, s64 u);
extern s64 atomic64_xchg(atomic64_t *v, s64 new_value);
extern s64 atomic64_cmpxchg(atomic64_t *v, s64 old, s64 new_value);
extern bool atomic64_try_cmpxchg(atomic64_t *v, s64 *old, s64 new_value);
extern s64 atomic64_read_acquire(const atomic64_t *v);
extern void atomic64_set_release(atomic64_t *v, s64 i);

/* atomic_long_t */
extern long atomic_long_read(const atomic_long_t *v);
extern void atomic_long_set(atomic_long_t *v, long i);
extern void atomic_long_add(long i, atomic_long_t *v);
extern void atomic_long_sub(long i, atomic_long_t *v);
extern void atomic_long_and(long i, atomic_long_t *v);
extern void atomic_long_or(long i, atomic_long_t *v);
extern void atomic_long_xor(long i, atomic_long_t *v);
extern void atomic_long_andnot(long i, atomic_long_t *v);
extern void atomic_long_inc(atomic_long_t *v);
extern void atomic_long_dec(atomic_long_t *v);
extern long atomic_long_add_return(long i, atomic_long_t *v);
extern long atomic_long_sub_return(long i, atomic_long_t *v);
extern long atomic_long_fetch_add(long i, atomic_long_t *v);
extern long atomic_long_fetch_sub(long i, atomic_long_t *v);
extern long atomic_long_fetch_and(long i, atomic_long_t *v);
extern long atomic_long_fetch_or(long i, atomic_long_t *v);
extern long atomic_long_fetch_xor(long i, atomic_long_t *v);
extern long atomic_long_inc_return(atomic_long_t *v);
extern long atomic_long_dec_return(atomic_long_t *v);
extern long atomic_long_fetch_inc(atomic_long_t *v);
extern long atomic_long_fetch_dec(atomic_long_t *v);
extern bool atomic_long_dec_and_test(atomic_long_t *v);
extern bool atomic_long_inc_and_test(atomic_long_t *v);
extern bool atomic_long_sub_and_test(long i, atomic_long_t *v);
extern bool atomic_long_add_negative(long i, atomic_long_t *v);
extern bool atomic_long_inc_not_zero(atomic_long_t *v);
extern bool atomic_long_add_unless(atomic_long_t *v, long a, long u);
extern long atomic_long_fetch_add_unless(atomic_long_t *v, long a, long u);
extern long atomic_long_xchg(atomic_long_t *v, long new_value);
extern long atomic_long_cmpxchg(atomic_long_t *v, long old, long new_value);
extern bool atomic_long_try_cmpxchg(atomic_long_t *v, long *old, long new_value);
extern long atomic_long_read_acquire(const atomic_long_t *v);
extern void atomic_long_set_release(atomic_long_t *v, long i);

/* Generic exchange on scalars, modelled as plain expressions. */
#define xchg(ptr, v)            __klpm_xchg((ptr), (v), sizeof(*(ptr)))
#define cmpxchg(ptr, o, n)      __klpm_cmpxchg((ptr), (o), (n), sizeof(*(ptr)))
extern unsigned long __klpm_xchg(volatile void *ptr, unsigned long v, unsigned long size);
extern unsigned long __klpm_cmpxchg(volatile void *ptr, unsigned long old, unsigned long new_value, unsigned long size);

#endif /* _KLPM_LINUX_ATOMIC_H */
