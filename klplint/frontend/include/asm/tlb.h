/* klplint model header <asm/tlb.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_TLB_H
#define _KLPM_ASM_TLB_H

#include <asm/tlbflush.h>



#endif /* _KLPM_ASM_TLB_H */
