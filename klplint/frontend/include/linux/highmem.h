/* klplint model header <linux/highmem.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_HIGHMEM_H
#define _KLPM_LINUX_HIGHMEM_H

#include <linux/mm.h>

extern void *kmap(struct page *page);
extern void kunmap(struct page *page);
extern void *kmap_local_page(struct page *page);
extern void kunmap_local(const void *addr);
extern void *kmap_atomic(struct page *page);
extern void kunmap_atomic(void *addr);
extern struct page *alloc_page_vma(gfp_t gfp, struct vm_area_struct *vma, unsigned long addr);
extern void clear_highpage(struct page *page);
extern void copy_highpage(struct page *to, struct page *from);

#endif /* _KLPM_LINUX_HIGHMEM_H */
