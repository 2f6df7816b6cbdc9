/* klplint model header <linux/sysinfo.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SYSINFO_H
#define _KLPM_LINUX_SYSINFO_H

#include <linux/types.h>

#define SI_LOAD_SHIFT	16
struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	__u16 procs;
	__u16 pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	__u32 mem_unit;
};

extern void si_meminfo(struct sysinfo *val);
extern void si_swapinfo(struct sysinfo *val);

#endif /* _KLPM_LINUX_SYSINFO_H */
