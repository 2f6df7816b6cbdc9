/* klplint model header <linux/sched/signal.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SCHED_SIGNAL_H
#define _KLPM_LINUX_SCHED_SIGNAL_H

#include <linux/sched.h>
#include <linux/spinlock.h>

struct pid;

extern rwlock_t tasklist_lock;
extern struct task_struct *next_task(struct task_struct *p);
extern struct task_struct *next_thread(const struct task_struct *p);

/* Walk every process: a plain loop over next_task() from init_task. */
#define for_each_process(p) \
	for (p = &init_task; (p = next_task(p)) != &init_task;)

#define for_each_process_thread(p, t) \
	for_each_process(p) for (t = p; t; t = (next_thread(t) != p ? next_thread(t) : NULL))

extern int send_sig(int sig, struct task_struct *p, int priv);
extern int kill_pid(struct pid *pid, int sig, int priv);

#endif /* _KLPM_LINUX_SCHED_SIGNAL_H */
