/* klplint model header <linux/smp.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SMP_H
#define _KLPM_LINUX_SMP_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>

typedef void (*smp_call_func_t)(void *info);
typedef bool (*smp_cond_func_t)(int cpu, void *info);

extern int smp_processor_id(void);
extern int raw_smp_processor_id(void);
extern int get_cpu(void);
extern void put_cpu(void);
extern void on_each_cpu(smp_call_func_t func, void *info, int wait);
extern void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait);
extern void on_each_cpu_cond(smp_cond_func_t cond_func, smp_call_func_t func, void *info, bool wait);
extern int smp_call_function_single(int cpuid, smp_call_func_t func, void *info, int wait);
extern void smp_call_function(smp_call_func_t func, void *info, int wait);
extern void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait);
extern void kick_all_cpus_sync(void);

#endif /* _KLPM_LINUX_SMP_H */
