/* klplint model header <linux/ptrace.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PTRACE_H
#define _KLPM_LINUX_PTRACE_H

#include <linux/sched.h>
#include <asm/ptrace.h>

#define PTRACE_MODE_READ 0x01
#define PTRACE_MODE_ATTACH 0x02
#define PTRACE_MODE_REALCREDS 0x10
#define PTRACE_MODE_READ_REALCREDS (PTRACE_MODE_READ | PTRACE_MODE_REALCREDS)
extern bool ptrace_may_access(struct task_struct *task, unsigned int mode);

#endif /* _KLPM_LINUX_PTRACE_H */
