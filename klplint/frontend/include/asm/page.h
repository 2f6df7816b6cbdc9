/* klplint model header <asm/page.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_PAGE_H
#define _KLPM_ASM_PAGE_H

#include <linux/types.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1UL << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr) (((addr) + PAGE_SIZE - 1) & PAGE_MASK)

struct page;

extern struct page *virt_to_page(const void *addr);
extern void *page_address(const struct page *page);
extern phys_addr_t virt_to_phys(const void *address);
extern void *phys_to_virt(phys_addr_t address);
#define __pa(x)         virt_to_phys((const void *)(x))
#define __va(x)         phys_to_virt((phys_addr_t)(x))

#endif /* _KLPM_ASM_PAGE_H */
