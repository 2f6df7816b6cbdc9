/* klplint model header <linux/percpu.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PERCPU_H
#define _KLPM_LINUX_PERCPU_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/preempt.h>
#include <linux/smp.h>

/*
 * Per-CPU variables are modelled as one instance: accessors name the same
 * lvalue (the cpu argument is still evaluated).
 */
#define DEFINE_PER_CPU(type, name)      __section(".data..percpu") type name
#define DECLARE_PER_CPU(type, name)     extern type name
#define DEFINE_PER_CPU_READ_MOSTLY(type, name) DEFINE_PER_CPU(type, name)

#define per_cpu(var, cpu)               (*((void)(cpu), &(var)))
#define per_cpu_ptr(ptr, cpu)           ((void)(cpu), (ptr))
#define this_cpu_ptr(ptr)               (ptr)
#define raw_cpu_ptr(ptr)                (ptr)
#define get_cpu_var(var)                (*(preempt_disable(), &(var)))
#define put_cpu_var(var)                preempt_enable()
#define get_cpu_ptr(ptr)                (preempt_disable(), (ptr))
#define put_cpu_ptr(ptr)                preempt_enable()
#define this_cpu_read(pcp)              (pcp)
#define this_cpu_write(pcp, val)        ((pcp) = (val))
#define this_cpu_add(pcp, val)          ((pcp) += (val))
#define this_cpu_sub(pcp, val)          ((pcp) -= (val))
#define this_cpu_inc(pcp)               ((pcp) += 1)
#define this_cpu_dec(pcp)               ((pcp) -= 1)
#define __this_cpu_read(pcp)            (pcp)
#define __this_cpu_write(pcp, val)      ((pcp) = (val))
#define __this_cpu_inc(pcp)             ((pcp) += 1)
#define __this_cpu_dec(pcp)             ((pcp) -= 1)

extern void *__alloc_percpu(size_t size, size_t align);
extern void *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp);
extern void free_percpu(void *ptr);
#define alloc_percpu(type)              ((type *)__alloc_percpu(sizeof(type), sizeof(type)))
#define alloc_percpu_gfp(type, gfp)     ((type *)__alloc_percpu_gfp(sizeof(type), sizeof(type), gfp))

#endif /* _KLPM_LINUX_PERCPU_H */
