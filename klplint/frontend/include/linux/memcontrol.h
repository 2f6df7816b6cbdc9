/* klplint model header <linux/memcontrol.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MEMCONTROL_H
#define _KLPM_LINUX_MEMCONTROL_H

#include <linux/mm.h>

struct mem_cgroup;
extern struct mem_cgroup *get_mem_cgroup_from_mm(struct mm_struct *mm);
extern void mem_cgroup_put(struct mem_cgroup *memcg);

#endif /* _KLPM_LINUX_MEMCONTROL_H */
