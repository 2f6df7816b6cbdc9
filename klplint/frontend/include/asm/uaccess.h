/* klplint model header <asm/uaccess.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_UACCESS_H
#define _KLPM_ASM_UACCESS_H

#include <linux/uaccess.h>

#endif /* _KLPM_ASM_UACCESS_H */
