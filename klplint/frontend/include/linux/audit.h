/* klplint model header <linux/audit.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_AUDIT_H
#define _KLPM_LINUX_AUDIT_H

#include <linux/types.h>
#include <linux/gfp.h>

extern void audit_log(void *ctx, gfp_t gfp_mask, int type, const char *fmt, ...);

#endif /* _KLPM_LINUX_AUDIT_H */
