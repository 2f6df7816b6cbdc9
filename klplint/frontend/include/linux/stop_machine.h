/* klplint model header <linux/stop_machine.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_STOP_MACHINE_H
#define _KLPM_LINUX_STOP_MACHINE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/cpumask.h>
#include <linux/smp.h>

typedef int (*cpu_stop_fn_t)(void *arg);

/* Runs fn(data) with every CPU stopped and interrupts off (no sleeping in fn). */
extern int stop_machine(cpu_stop_fn_t fn, void *data, const struct cpumask *cpus);
extern int stop_machine_cpuslocked(cpu_stop_fn_t fn, void *data, const struct cpumask *cpus);
extern int stop_one_cpu(unsigned int cpu, cpu_stop_fn_t fn, void *arg);

#endif /* _KLPM_LINUX_STOP_MACHINE_H */
