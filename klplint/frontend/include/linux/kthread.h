/* klplint model header <linux/kthread.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KTHREAD_H
#define _KLPM_LINUX_KTHREAD_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/err.h>
#include <linux/sched.h>

struct completion;

/*
 * kthread_create and kthread_run are real functions here (macros in the
 * kernel), so the analyzer sees the thread function passed by name.
 * Both return a task or an ERR_PTR.
 */
extern struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
					  const char *namefmt, ...) __printf(3, 4);
extern struct task_struct *kthread_run(int (*threadfn)(void *data), void *data,
				       const char *namefmt, ...) __printf(3, 4);
extern struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data,
						  int node, const char *namefmt, ...) __printf(4, 5);
extern struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
						 unsigned int cpu, const char *namefmt);
extern void kthread_bind(struct task_struct *k, unsigned int cpu);
extern int kthread_stop(struct task_struct *k);
extern bool kthread_should_stop(void);
extern bool kthread_should_park(void);
extern int kthread_park(struct task_struct *k);
extern void kthread_unpark(struct task_struct *k);
extern void kthread_parkme(void);
extern void *kthread_data(struct task_struct *k);
extern void __noreturn kthread_complete_and_exit(struct completion *comp, long code);
extern void __noreturn kthread_exit(long result);

#endif /* _KLPM_LINUX_KTHREAD_H */
