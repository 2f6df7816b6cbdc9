/* klplint model header <net/checksum.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_NET_CHECKSUM_H
#define _KLPM_NET_CHECKSUM_H

#include <linux/types.h>

extern __wsum csum_partial(const void *buff, int len, __wsum sum);
extern __sum16 csum_fold(__wsum sum);

#endif /* _KLPM_NET_CHECKSUM_H */
