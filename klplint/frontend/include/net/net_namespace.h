/* klplint model header <net/net_namespace.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_NET_NAMESPACE_H
#define _KLPM_NET_NET_NAMESPACE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/refcount.h>

struct net { refcount_t ns_refcount; struct list_head list; struct user_namespace *user_ns; };
extern struct net init_net;
extern struct net *get_net(struct net *net);
extern void put_net(struct net *net);
struct pernet_operations { int (*init)(struct net *net); void (*exit)(struct net *net); unsigned int *id; size_t size; };
extern int register_pernet_subsys(struct pernet_operations *ops);
extern void unregister_pernet_subsys(struct pernet_operations *ops);

#endif /* _KLPM_NET_NET_NAMESPACE_H */
