/* klplint model header <asm/pgtable.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_PGTABLE_H
#define _KLPM_ASM_PGTABLE_H

#include <linux/types.h>
#include <asm/page.h>

/* x86_64 page-table entries as the kernel's types (values only; walking is a call). */
typedef unsigned long pteval_t;
typedef unsigned long pmdval_t;
typedef unsigned long pudval_t;
typedef unsigned long p4dval_t;
typedef unsigned long pgdval_t;

typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;
typedef struct { pudval_t pud; } pud_t;
typedef struct { p4dval_t p4d; } p4d_t;
typedef struct { pgdval_t pgd; } pgd_t;

#define _PAGE_PRESENT	0x001UL
#define _PAGE_RW	0x002UL
#define _PAGE_USER	0x004UL
#define _PAGE_NX	(1UL << 63)

#define pte_val(x)	((x).pte)
#define pmd_val(x)	((x).pmd)
#define pgd_val(x)	((x).pgd)

static inline int pte_present(pte_t pte) { return (pte.pte & _PAGE_PRESENT) != 0; }
static inline int pte_write(pte_t pte) { return (pte.pte & _PAGE_RW) != 0; }
static inline int pmd_none(pmd_t pmd) { return pmd.pmd == 0; }
static inline int pud_none(pud_t pud) { return pud.pud == 0; }
static inline int pgd_none(pgd_t pgd) { return pgd.pgd == 0; }

struct mm_struct;
extern pgd_t *pgd_offset_model(struct mm_struct *mm, unsigned long address);
#define pgd_offset(mm, address)	pgd_offset_model(mm, address)
extern void flush_tlb_all(void);

#endif /* _KLPM_ASM_PGTABLE_H */
