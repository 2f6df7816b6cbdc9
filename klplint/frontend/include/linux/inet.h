/* klplint model header <linux/inet.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_INET_H
#define _KLPM_LINUX_INET_H

#include <linux/types.h>
#include <linux/in.h>

extern __be32 in_aton(const char *str);
extern int in4_pton(const char *src, int srclen, u8 *dst, int delim, const char **end);

#endif /* _KLPM_LINUX_INET_H */
