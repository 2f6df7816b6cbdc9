/* klplint model header <linux/socket.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SOCKET_H
#define _KLPM_LINUX_SOCKET_H

#include <linux/types.h>
#include <linux/uio.h>

typedef unsigned short sa_family_t;

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct msghdr {
	void *msg_name;
	int msg_namelen;
	struct iov_iter msg_iter;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define PF_INET		AF_INET
#define PF_INET6	AF_INET6

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3

#define MSG_PEEK	2
#define MSG_DONTWAIT	0x40
#define MSG_NOSIGNAL	0x4000

#define SOL_SOCKET	1
#define SOL_IP		0
#define SOL_TCP		6

#endif /* _KLPM_LINUX_SOCKET_H */
