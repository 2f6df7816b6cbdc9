/* klplint model header <linux/capability.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CAPABILITY_H
#define _KLPM_LINUX_CAPABILITY_H

#include <linux/types.h>

struct user_namespace;
struct task_struct;
struct inode;

#define CAP_CHOWN		0
#define CAP_DAC_OVERRIDE	1
#define CAP_KILL		5
#define CAP_SETUID		7
#define CAP_NET_BIND_SERVICE	10
#define CAP_NET_ADMIN		12
#define CAP_NET_RAW		13
#define CAP_IPC_LOCK		14
#define CAP_SYS_MODULE		16
#define CAP_SYS_RAWIO		17
#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_RESOURCE	24
#define CAP_SYSLOG		34
#define CAP_BPF			39
#define CAP_PERFMON		38
#define CAP_LAST_CAP		40

typedef struct { u32 cap[2]; } kernel_cap_t;

extern bool capable(int cap);
extern bool ns_capable(struct user_namespace *ns, int cap);
extern bool ns_capable_noaudit(struct user_namespace *ns, int cap);
extern bool has_capability(struct task_struct *t, int cap);
extern bool file_ns_capable(const struct file *file, struct user_namespace *ns, int cap);
extern bool capable_wrt_inode_uidgid(struct user_namespace *mnt_userns, const struct inode *inode, int cap);

#endif /* _KLPM_LINUX_CAPABILITY_H */
