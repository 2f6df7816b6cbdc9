/* klplint model header <linux/cpu.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CPU_H
#define _KLPM_LINUX_CPU_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <linux/notifier.h>

/* CPU hotplug read lock (and the older names). */
extern void cpus_read_lock(void);
extern void cpus_read_unlock(void);
extern int cpus_read_trylock(void);
extern void get_online_cpus(void);
extern void put_online_cpus(void);
extern void cpu_hotplug_disable(void);
extern void cpu_hotplug_enable(void);

/* Hotplug state machine callbacks. */
enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_OFFLINE = 0,
	CPUHP_AP_ONLINE_DYN = 200,
	CPUHP_ONLINE = 300
};
extern int cpuhp_setup_state(enum cpuhp_state state, const char *name,
			     int (*startup)(unsigned int cpu),
			     int (*teardown)(unsigned int cpu));
extern int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
				     int (*startup)(unsigned int cpu),
				     int (*teardown)(unsigned int cpu));
extern void cpuhp_remove_state(enum cpuhp_state state);
extern void cpuhp_remove_state_nocalls(enum cpuhp_state state);

#endif /* _KLPM_LINUX_CPU_H */
