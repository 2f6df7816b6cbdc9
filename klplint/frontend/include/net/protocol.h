/* klplint model header <net/protocol.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_PROTOCOL_H
#define _KLPM_NET_PROTOCOL_H

#include <linux/skbuff.h>

struct net_protocol { int (*handler)(struct sk_buff *skb); void (*err_handler)(struct sk_buff *skb, u32 info); };
extern int inet_add_protocol(const struct net_protocol *prot, unsigned char num);
extern int inet_del_protocol(const struct net_protocol *prot, unsigned char num);

#endif /* _KLPM_NET_PROTOCOL_H */
