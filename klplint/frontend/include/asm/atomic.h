/* klplint model header <asm/atomic.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_ATOMIC_H
#define _KLPM_ASM_ATOMIC_H

#include <linux/atomic.h>

#endif /* _KLPM_ASM_ATOMIC_H */
