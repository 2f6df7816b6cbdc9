/* klplint model header <linux/security.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SECURITY_H
#define _KLPM_LINUX_SECURITY_H

#include <linux/types.h>
#include <linux/capability.h>

struct cred;
struct file;
struct inode;
struct task_struct;
extern int security_file_permission(struct file *file, int mask);
extern int security_file_open(struct file *file);
extern int security_task_kill(struct task_struct *p, void *info, int sig, const struct cred *cred);
extern int security_locked_down(int what);

#endif /* _KLPM_LINUX_SECURITY_H */
