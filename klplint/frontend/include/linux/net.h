/* klplint model header <linux/net.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NET_H
#define _KLPM_LINUX_NET_H

#include <linux/types.h>
#include <linux/socket.h>
#include <net/sock.h>

struct net_proto_family { int family; int (*create)(struct net *net, struct socket *sock, int protocol, int kern); };
extern int sock_register(const struct net_proto_family *fam);
extern void sock_unregister(int family);
extern int kernel_sendmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len);
extern int kernel_recvmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len, int flags);
extern int net_ratelimit(void);

#endif /* _KLPM_LINUX_NET_H */
