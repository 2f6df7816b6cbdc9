/* klplint model header <linux/sched/mm.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SCHED_MM_H
#define _KLPM_LINUX_SCHED_MM_H

#include <linux/sched.h>
#include <linux/mm.h>

extern struct mm_struct *get_task_mm(struct task_struct *task);
extern void mmdrop(struct mm_struct *mm);
extern unsigned int memalloc_noio_save(void);
extern void memalloc_noio_restore(unsigned int flags);
extern unsigned int memalloc_nofs_save(void);
extern void memalloc_nofs_restore(unsigned int flags);

#endif /* _KLPM_LINUX_SCHED_MM_H */
