/* klplint model header <linux/signal.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SIGNAL_H
#define _KLPM_LINUX_SIGNAL_H

#include <linux/sched.h>

#define SIGKILL 9
#define SIGSEGV 11
#define SIGTERM 15
#define SIGSTOP 19
struct kernel_siginfo;
extern int send_sig(int sig, struct task_struct *p, int priv);
struct pid;
extern int kill_pid(struct pid *pid, int sig, int priv);
extern int signal_pending(struct task_struct *p);
extern int fatal_signal_pending(struct task_struct *p);

#endif /* _KLPM_LINUX_SIGNAL_H */
