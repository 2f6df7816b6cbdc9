/* klplint model header <net/sock.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_SOCK_H
#define _KLPM_NET_SOCK_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/wait.h>
#include <linux/netdevice.h>

struct proto;
struct socket;
struct net;

/* The common part of every socket (the kernel's struct sock_common and struct sock, abridged). */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	int skc_bound_dev_if;
	struct proto *skc_prot;
	struct net *skc_net;
	refcount_t skc_refcnt;
};

struct sock {
	struct sock_common __sk_common;
	int sk_rcvbuf;
	int sk_sndbuf;
	unsigned int sk_flags;
	unsigned short sk_type;
	unsigned short sk_protocol;
	int sk_err;
	long sk_rcvtimeo;
	long sk_sndtimeo;
	u32 sk_mark;
	u32 sk_priority;
	spinlock_t sk_lock;
	struct sk_buff_head sk_receive_queue;
	struct sk_buff_head sk_write_queue;
	struct socket *sk_socket;
	void *sk_user_data;
	void (*sk_state_change)(struct sock *sk);
	void (*sk_data_ready)(struct sock *sk);
	void (*sk_destruct)(struct sock *sk);
};

#define sk_family	__sk_common.skc_family
#define sk_state	__sk_common.skc_state
#define sk_refcnt	__sk_common.skc_refcnt
#define sk_prot		__sk_common.skc_prot
#define sk_net		__sk_common.skc_net
#define sk_daddr	__sk_common.skc_daddr
#define sk_rcv_saddr	__sk_common.skc_rcv_saddr
#define sk_num		__sk_common.skc_num
#define sk_dport	__sk_common.skc_dport
#define sk_bound_dev_if	__sk_common.skc_bound_dev_if

struct socket {
	short type;
	unsigned long flags;
	struct file *file;
	struct sock *sk;
	const void *ops;
};

/* sock_hold()/sock_put() count references; lock_sock()/release_sock() is the socket lock. */
extern void sock_hold(struct sock *sk);
extern void sock_put(struct sock *sk);
extern void lock_sock(struct sock *sk);
extern void release_sock(struct sock *sk);
extern bool lock_sock_fast(struct sock *sk);
extern void unlock_sock_fast(struct sock *sk, bool slow);
extern void bh_lock_sock(struct sock *sk);
extern void bh_unlock_sock(struct sock *sk);
extern struct sk_buff *sock_alloc_send_skb(struct sock *sk, unsigned long size, int noblock, int *errcode);
extern void *sock_kmalloc(struct sock *sk, int size, gfp_t priority);
extern void sock_kfree_s(struct sock *sk, void *mem, int size);
extern int sock_create_kern(struct net *net, int family, int type, int proto, struct socket **res);
extern void sock_release(struct socket *sock);
extern struct net *sock_net(const struct sock *sk);
extern bool sock_flag(const struct sock *sk, int flag);

#define SOCK_DEAD	1
#define SOCK_DONE	2

#endif /* _KLPM_NET_SOCK_H */
