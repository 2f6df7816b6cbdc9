/* klplint model header <linux/netdevice.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NETDEVICE_H
#define _KLPM_LINUX_NETDEVICE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/notifier.h>
#include <linux/refcount.h>

#define IFNAMSIZ	16

struct net;
struct net_device_ops;

struct net_device {
	char name[IFNAMSIZ];
	struct list_head dev_list;
	unsigned long state;
	unsigned int flags;
	unsigned int mtu;
	unsigned short type;
	unsigned short hard_header_len;
	unsigned char addr_len;
	unsigned char *dev_addr;
	int ifindex;
	const struct net_device_ops *netdev_ops;
	void *ml_priv;
	struct net *nd_net;
};

struct net_device_ops {
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	int (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
};

enum netdev_tx {
	NETDEV_TX_OK = 0x00,
	NETDEV_TX_BUSY = 0x10,
};
typedef enum netdev_tx netdev_tx_t;

#define NETDEV_UP		0x0001
#define NETDEV_DOWN		0x0002
#define NETDEV_REGISTER		0x0005
#define NETDEV_UNREGISTER	0x0006

#define NET_RX_SUCCESS	0
#define NET_RX_DROP	1

/* dev_get_by_name()/dev_get_by_index() take a reference that dev_put() drops. */
extern struct net_device *dev_get_by_name(struct net *net, const char *name);
extern struct net_device *dev_get_by_index(struct net *net, int ifindex);
extern struct net_device *__dev_get_by_name(struct net *net, const char *name);
extern void dev_hold(struct net_device *dev);
extern void dev_put(struct net_device *dev);
extern int register_netdevice_notifier(struct notifier_block *nb);
extern int unregister_netdevice_notifier(struct notifier_block *nb);
extern int register_netdev(struct net_device *dev);
extern void unregister_netdev(struct net_device *dev);
extern void free_netdev(struct net_device *dev);
extern int netif_rx(struct sk_buff *skb);
extern int netif_receive_skb(struct sk_buff *skb);
extern int dev_queue_xmit(struct sk_buff *skb);
extern void rtnl_lock(void);
extern void rtnl_unlock(void);
extern struct net_device *netdev_notifier_info_to_dev(const void *info);

static inline void *netdev_priv(const struct net_device *dev)
{
	return (char *)dev + sizeof(struct net_device);
}

#endif /* _KLPM_LINUX_NETDEVICE_H */
