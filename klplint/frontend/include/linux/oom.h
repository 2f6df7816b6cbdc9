/* klplint model header <linux/oom.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_OOM_H
#define _KLPM_LINUX_OOM_H

#include <linux/sched.h>

extern void oom_killer_disable(void);

#endif /* _KLPM_LINUX_OOM_H */
