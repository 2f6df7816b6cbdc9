/* klplint model header <linux/nsproxy.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NSPROXY_H
#define _KLPM_LINUX_NSPROXY_H

#include <linux/types.h>
#include <linux/atomic.h>

struct uts_namespace;
struct ipc_namespace;
struct mnt_namespace;
struct pid_namespace;
struct net;
struct nsproxy { atomic_t count; struct uts_namespace *uts_ns; struct ipc_namespace *ipc_ns; struct mnt_namespace *mnt_ns; struct pid_namespace *pid_ns_for_children; struct net *net_ns; };
extern struct nsproxy init_nsproxy;

#endif /* _KLPM_LINUX_NSPROXY_H */
