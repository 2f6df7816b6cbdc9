/* klplint model header <linux/pid.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PID_H
#define _KLPM_LINUX_PID_H

#include <linux/types.h>

struct pid;
enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_SID, PIDTYPE_MAX };
extern struct pid *find_get_pid(int nr);
extern struct pid *get_pid(struct pid *pid);
extern void put_pid(struct pid *pid);
extern struct task_struct *get_pid_task(struct pid *pid, enum pid_type type);
extern pid_t pid_vnr(struct pid *pid);
extern struct task_struct *find_task_by_vpid(pid_t nr);

#endif /* _KLPM_LINUX_PID_H */
