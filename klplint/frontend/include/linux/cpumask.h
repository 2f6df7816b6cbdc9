/* klplint model header <linux/cpumask.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CPUMASK_H
#define _KLPM_LINUX_CPUMASK_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/bitops.h>

#ifndef NR_CPUS
#define NR_CPUS 8192
#endif

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};
typedef struct cpumask cpumask_t;
typedef struct cpumask *cpumask_var_t;

extern unsigned int nr_cpu_ids;
extern const struct cpumask *const cpu_possible_mask;
extern const struct cpumask *const cpu_online_mask;
extern const struct cpumask *const cpu_present_mask;
extern const struct cpumask *const cpu_active_mask;

extern unsigned int cpumask_first(const struct cpumask *srcp);
extern unsigned int cpumask_next(int n, const struct cpumask *srcp);
extern unsigned int cpumask_weight(const struct cpumask *srcp);
extern bool cpumask_test_cpu(int cpu, const struct cpumask *cpumask);
extern void cpumask_set_cpu(unsigned int cpu, struct cpumask *dstp);
extern void cpumask_clear_cpu(int cpu, struct cpumask *dstp);
extern void cpumask_clear(struct cpumask *dstp);
extern void cpumask_copy(struct cpumask *dstp, const struct cpumask *srcp);
extern bool cpumask_empty(const struct cpumask *srcp);
extern bool alloc_cpumask_var(cpumask_var_t *mask, gfp_t flags);
extern bool zalloc_cpumask_var(cpumask_var_t *mask, gfp_t flags);
extern void free_cpumask_var(cpumask_var_t mask);
extern unsigned int num_online_cpus(void);
extern unsigned int num_possible_cpus(void);
extern unsigned int num_present_cpus(void);
extern bool cpu_online(unsigned int cpu);
extern bool cpu_possible(unsigned int cpu);

/* CPU iteration: plain for loops over cpumask_next(). */
#define for_each_cpu(cpu, mask) \
	for ((cpu) = -1; (cpu) = cpumask_next((cpu), (mask)), (cpu) < nr_cpu_ids;)
#define for_each_possible_cpu(cpu)      for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu)        for_each_cpu((cpu), cpu_online_mask)
#define for_each_present_cpu(cpu)       for_each_cpu((cpu), cpu_present_mask)

#endif /* _KLPM_LINUX_CPUMASK_H */
