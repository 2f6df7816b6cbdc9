/* klplint model header <linux/in.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_IN_H
#define _KLPM_LINUX_IN_H

#include <linux/types.h>

/* IP protocol numbers and IPv4 socket addresses. */
enum {
	IPPROTO_IP = 0,
	IPPROTO_ICMP = 1,
	IPPROTO_IGMP = 2,
	IPPROTO_TCP = 6,
	IPPROTO_UDP = 17,
	IPPROTO_IPV6 = 41,
	IPPROTO_GRE = 47,
	IPPROTO_ESP = 50,
	IPPROTO_ICMPV6 = 58,
	IPPROTO_SCTP = 132,
	IPPROTO_UDPLITE = 136,
	IPPROTO_RAW = 255,
	IPPROTO_MAX
};

struct in_addr {
	__be32 s_addr;
};

struct sockaddr_in {
	unsigned short sin_family;
	__be16 sin_port;
	struct in_addr sin_addr;
	unsigned char __pad[8];
};

#define INADDR_ANY		((unsigned long int)0x00000000)
#define INADDR_LOOPBACK		0x7f000001
#define INADDR_BROADCAST	((unsigned long int)0xffffffff)

extern __be32 in_aton(const char *str);

static inline bool ipv4_is_loopback(__be32 addr)
{
	return (addr & 0x000000ff) == 0x0000007f;
}

#endif /* _KLPM_LINUX_IN_H */
