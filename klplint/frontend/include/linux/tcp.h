/* klplint model header <linux/tcp.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_TCP_H
#define _KLPM_LINUX_TCP_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <net/sock.h>

struct tcphdr { __be16 source; __be16 dest; __be32 seq; __be32 ack_seq; __u16 res1:4, doff:4, fin:1, syn:1, rst:1, psh:1, ack:1, urg:1, ece:1, cwr:1; __be16 window; __sum16 check; __be16 urg_ptr; };
struct tcp_sock { struct sock sk; u32 rcv_nxt; u32 snd_nxt; u32 snd_una; u32 mss_cache; u32 snd_cwnd; u32 srtt_us; };
static inline struct tcp_sock *tcp_sk(const struct sock *sk) { return (struct tcp_sock *)sk; }
static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb) { return (struct tcphdr *)skb_transport_header(skb); }

#endif /* _KLPM_LINUX_TCP_H */
