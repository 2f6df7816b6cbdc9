/* klplint model header <linux/skbuff.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SKBUFF_H
#define _KLPM_LINUX_SKBUFF_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/refcount.h>
#include <linux/ktime.h>
#include <linux/spinlock_types.h>

struct sock;
struct net_device;

/* A socket buffer: the fields hooks and replacement functions commonly read. */
struct sk_buff {
	struct sk_buff *next;
	struct sk_buff *prev;
	struct sock *sk;
	struct net_device *dev;
	ktime_t tstamp;
	char cb[48];
	unsigned int len;
	unsigned int data_len;
	__u16 mac_len;
	__u16 hdr_len;
	__u16 queue_mapping;
	__u8 pkt_type;
	__u8 ip_summed;
	__be16 protocol;
	__u16 transport_header;
	__u16 network_header;
	__u16 mac_header;
	__u32 priority;
	__u32 mark;
	__u32 hash;
	unsigned int tail;
	unsigned int end;
	unsigned char *head;
	unsigned char *data;
	unsigned int truesize;
	refcount_t users;
};

struct sk_buff_head {
	struct sk_buff *next;
	struct sk_buff *prev;
	__u32 qlen;
	spinlock_t lock;
};

#define CHECKSUM_NONE		0
#define CHECKSUM_UNNECESSARY	1
#define CHECKSUM_COMPLETE	2
#define CHECKSUM_PARTIAL	3

/* alloc_skb() and friends return NULL on failure; kfree_skb()/consume_skb() release. */
extern struct sk_buff *alloc_skb(unsigned int size, gfp_t priority);
extern struct sk_buff *__alloc_skb(unsigned int size, gfp_t priority, int flags, int node);
extern struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t priority);
extern struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t priority);
extern struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int length);
extern void kfree_skb(struct sk_buff *skb);
extern void consume_skb(struct sk_buff *skb);
extern void *skb_put(struct sk_buff *skb, unsigned int len);
extern void *skb_push(struct sk_buff *skb, unsigned int len);
extern void *skb_pull(struct sk_buff *skb, unsigned int len);
extern void skb_reserve(struct sk_buff *skb, int len);
extern void skb_trim(struct sk_buff *skb, unsigned int len);
extern int skb_linearize(struct sk_buff *skb);
extern int pskb_may_pull(struct sk_buff *skb, unsigned int len);
extern void skb_queue_head_init(struct sk_buff_head *list);
extern void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk);
extern struct sk_buff *skb_dequeue(struct sk_buff_head *list);
extern void skb_queue_purge(struct sk_buff_head *list);
extern int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);

static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

#endif /* _KLPM_LINUX_SKBUFF_H */
