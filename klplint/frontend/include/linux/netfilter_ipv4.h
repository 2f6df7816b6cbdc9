/* klplint model header <linux/netfilter_ipv4.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NETFILTER_IPV4_H
#define _KLPM_LINUX_NETFILTER_IPV4_H

#include <linux/netfilter.h>

enum nf_inet_hooks { NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NF_INET_NUMHOOKS };

#endif /* _KLPM_LINUX_NETFILTER_IPV4_H */
