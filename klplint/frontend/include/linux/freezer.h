/* klplint model header <linux/freezer.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FREEZER_H
#define _KLPM_LINUX_FREEZER_H

#include <linux/sched.h>

extern bool freezing(struct task_struct *p);
extern bool try_to_freeze(void);
extern void set_freezable(void);

#endif /* _KLPM_LINUX_FREEZER_H */
