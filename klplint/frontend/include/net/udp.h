/* klplint model header <net/udp.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_UDP_H
#define _KLPM_NET_UDP_H

#include <linux/udp.h>
#include <net/sock.h>
#include <net/ip.h>

extern int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len);

#endif /* _KLPM_NET_UDP_H */
