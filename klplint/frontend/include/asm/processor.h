/* klplint model header <asm/processor.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_PROCESSOR_H
#define _KLPM_ASM_PROCESSOR_H

#include <asm/current.h>

extern void cpu_relax(void);

#endif /* _KLPM_ASM_PROCESSOR_H */
