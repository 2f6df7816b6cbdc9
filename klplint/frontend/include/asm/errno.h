/* klplint model header <asm/errno.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_ERRNO_H
#define _KLPM_ASM_ERRNO_H

#include <linux/errno.h>

#endif /* _KLPM_ASM_ERRNO_H */
