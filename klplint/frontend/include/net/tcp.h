/* klplint model header <net/tcp.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_TCP_H
#define _KLPM_NET_TCP_H

#include <linux/tcp.h>
#include <net/sock.h>
#include <net/ip.h>

extern int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
extern void tcp_done(struct sock *sk);
extern void tcp_set_state(struct sock *sk, int state);
enum { TCP_ESTABLISHED = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING };

#endif /* _KLPM_NET_TCP_H */
