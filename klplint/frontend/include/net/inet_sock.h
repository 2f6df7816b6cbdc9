/* klplint model header <net/inet_sock.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_INET_SOCK_H
#define _KLPM_NET_INET_SOCK_H

#include <net/sock.h>

struct inet_sock { struct sock sk; __be32 inet_saddr; __be16 inet_sport; __u16 inet_id; };
static inline struct inet_sock *inet_sk(const struct sock *sk) { return (struct inet_sock *)sk; }

#endif /* _KLPM_NET_INET_SOCK_H */
