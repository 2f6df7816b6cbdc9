/* klplint model header <asm/tlbflush.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_TLBFLUSH_H
#define _KLPM_ASM_TLBFLUSH_H

#include <linux/mm_types.h>
#include <asm/pgtable.h>

extern void flush_tlb_mm(struct mm_struct *mm);
extern void flush_tlb_kernel_range(unsigned long start, unsigned long end);

#endif /* _KLPM_ASM_TLBFLUSH_H */
