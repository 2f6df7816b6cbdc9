/* klplint model header <linux/netfilter.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NETFILTER_H
#define _KLPM_LINUX_NETFILTER_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>

struct nf_hook_state;
struct nf_hook_ops { unsigned int (*hook)(void *priv, struct sk_buff *skb, const struct nf_hook_state *state); struct net_device *dev; void *priv; u8 pf; unsigned int hooknum; int priority; };
#define NF_DROP 0
#define NF_ACCEPT 1
extern int nf_register_net_hook(struct net *net, const struct nf_hook_ops *ops);
extern void nf_unregister_net_hook(struct net *net, const struct nf_hook_ops *ops);

#endif /* _KLPM_LINUX_NETFILTER_H */
