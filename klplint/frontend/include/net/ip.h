/* klplint model header <net/ip.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_IP_H
#define _KLPM_NET_IP_H

#include <linux/ip.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include <net/route.h>

extern int ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb);
extern int ip_rcv(struct sk_buff *skb, struct net_device *dev, void *pt, struct net_device *orig_dev);

#endif /* _KLPM_NET_IP_H */
