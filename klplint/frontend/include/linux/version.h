/* klplint model header <linux/version.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_VERSION_H
#define _KLPM_LINUX_VERSION_H

/*
 * The model describes a 6.1 kernel by default.  Pass
 * -DLINUX_VERSION_CODE=... (e.g. KERNEL_VERSION(4,15,0) = 266000) to make
 * version-dependent code take another branch.
 */
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

#ifndef LINUX_VERSION_CODE
#define LINUX_VERSION_CODE 393472
#endif
#define LINUX_VERSION_MAJOR     (LINUX_VERSION_CODE >> 16)
#define LINUX_VERSION_PATCHLEVEL ((LINUX_VERSION_CODE >> 8) & 255)
#define LINUX_VERSION_SUBLEVEL  (LINUX_VERSION_CODE & 255)

#endif /* _KLPM_LINUX_VERSION_H */
