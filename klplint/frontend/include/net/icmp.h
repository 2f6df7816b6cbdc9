/* klplint model header <net/icmp.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_ICMP_H
#define _KLPM_NET_ICMP_H

#include <linux/skbuff.h>

extern void icmp_send(struct sk_buff *skb_in, int type, int code, __be32 info);

#endif /* _KLPM_NET_ICMP_H */
