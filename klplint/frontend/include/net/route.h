/* klplint model header <net/route.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_ROUTE_H
#define _KLPM_NET_ROUTE_H

#include <net/sock.h>

struct rtable;
extern void ip_rt_put(struct rtable *rt);

#endif /* _KLPM_NET_ROUTE_H */
