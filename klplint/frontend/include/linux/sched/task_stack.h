/* klplint model header <linux/sched/task_stack.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SCHED_TASK_STACK_H
#define _KLPM_LINUX_SCHED_TASK_STACK_H

#include <linux/sched.h>

extern void *task_stack_page(const struct task_struct *task);

#endif /* _KLPM_LINUX_SCHED_TASK_STACK_H */
