/* klplint model header <linux/pid_namespace.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PID_NAMESPACE_H
#define _KLPM_LINUX_PID_NAMESPACE_H

#include <linux/pid.h>
#include <linux/sched.h>

struct pid_namespace { unsigned int level; struct pid_namespace *parent; struct user_namespace *user_ns; };
extern struct pid_namespace init_pid_ns;
extern struct pid_namespace *task_active_pid_ns(struct task_struct *tsk);

#endif /* _KLPM_LINUX_PID_NAMESPACE_H */
