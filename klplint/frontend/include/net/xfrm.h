/* klplint model header <net/xfrm.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_XFRM_H
#define _KLPM_NET_XFRM_H

#include <net/sock.h>

struct xfrm_state;

#endif /* _KLPM_NET_XFRM_H */
