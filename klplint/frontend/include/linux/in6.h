/* klplint model header <linux/in6.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_IN6_H
#define _KLPM_LINUX_IN6_H

#include <linux/types.h>

struct in6_addr { union { __u8 u6_addr8[16]; __be16 u6_addr16[8]; __be32 u6_addr32[4]; } in6_u; };
#define s6_addr in6_u.u6_addr8
struct sockaddr_in6 { unsigned short sin6_family; __be16 sin6_port; __be32 sin6_flowinfo; struct in6_addr sin6_addr; __u32 sin6_scope_id; };

#endif /* _KLPM_LINUX_IN6_H */
