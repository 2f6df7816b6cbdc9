/* klplint model header <linux/bottom_half.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BOTTOM_HALF_H
#define _KLPM_LINUX_BOTTOM_HALF_H

extern void local_bh_disable(void);
extern void local_bh_enable(void);

#endif /* _KLPM_LINUX_BOTTOM_HALF_H */
