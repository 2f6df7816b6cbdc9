/* klplint model header <linux/inetdevice.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_INETDEVICE_H
#define _KLPM_LINUX_INETDEVICE_H

#include <linux/netdevice.h>

struct in_device { struct net_device *dev; refcount_t refcnt; };
extern struct in_device *in_dev_get(const struct net_device *dev);
extern void in_dev_put(struct in_device *idev);

#endif /* _KLPM_LINUX_INETDEVICE_H */
