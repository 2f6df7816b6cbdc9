/* klplint model header <linux/sched.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SCHED_H
#define _KLPM_LINUX_SCHED_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/irqflags.h>
#include <asm/current.h>

#define TASK_COMM_LEN 16

/* Task states (values as the kernel's, for printing and comparison). */
#define TASK_RUNNING            0x00000000
#define TASK_INTERRUPTIBLE      0x00000001
#define TASK_UNINTERRUPTIBLE    0x00000002
#define __TASK_STOPPED          0x00000004
#define __TASK_TRACED           0x00000008
#define EXIT_DEAD               0x00000010
#define EXIT_ZOMBIE             0x00000020
#define TASK_PARKED             0x00000040
#define TASK_DEAD               0x00000080
#define TASK_WAKEKILL           0x00000100
#define TASK_WAKING             0x00000200
#define TASK_NOLOAD             0x00000400
#define TASK_KILLABLE           (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE               (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL             (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

#define PF_EXITING              0x00000004
#define PF_KTHREAD              0x00200000

#define MAX_SCHEDULE_TIMEOUT    LONG_MAX

struct mm_struct;
struct files_struct;
struct cred;

struct task_struct {
	unsigned int __state;
	void *stack;
	unsigned int flags;
	int prio;
	int on_cpu;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct list_head children;
	struct list_head sibling;
	struct list_head tasks;
	struct mm_struct *mm;
	struct mm_struct *active_mm;
	const struct cred *cred;
	struct files_struct *files;
	char comm[TASK_COMM_LEN];
	int exit_state;
	int exit_code;
	/* livepatch: KLP_UNDEFINED, KLP_UNPATCHED or KLP_PATCHED */
	int patch_state;
};

/* Scheduling calls. */
extern void schedule(void);
extern long schedule_timeout(long timeout);
extern long schedule_timeout_interruptible(long timeout);
extern long schedule_timeout_killable(long timeout);
extern long schedule_timeout_uninterruptible(long timeout);
extern long schedule_timeout_idle(long timeout);
extern void yield(void);
extern int need_resched(void);
extern void set_current_state(unsigned int state);
extern void __set_current_state(unsigned int state);
extern int wake_up_process(struct task_struct *tsk);
extern int wake_up_state(struct task_struct *tsk, unsigned int state);
extern int signal_pending(struct task_struct *p);
extern int fatal_signal_pending(struct task_struct *p);
extern void set_user_nice(struct task_struct *p, long nice);
extern int sched_setscheduler(struct task_struct *p, int policy, const void *param);

/* Task identity. */
extern pid_t task_pid_nr(struct task_struct *tsk);
extern pid_t task_tgid_nr(struct task_struct *tsk);
extern pid_t task_pid_vnr(struct task_struct *tsk);
extern char *get_task_comm(char *buf, struct task_struct *tsk);
extern int task_curr(const struct task_struct *p);
extern unsigned int task_cpu(const struct task_struct *p);
extern unsigned long wait_task_inactive(struct task_struct *p, unsigned int match_state);

/* References (also in <linux/sched/task.h>). */
extern struct task_struct *get_task_struct(struct task_struct *t);
extern void put_task_struct(struct task_struct *t);

extern struct task_struct init_task;

#endif /* _KLPM_LINUX_SCHED_H */
