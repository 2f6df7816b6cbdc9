/* klplint model header <linux/sched/task.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SCHED_TASK_H
#define _KLPM_LINUX_SCHED_TASK_H

/* get_task_struct/put_task_struct are declared in <linux/sched.h>. */
#include <linux/sched.h>

#endif /* _KLPM_LINUX_SCHED_TASK_H */
