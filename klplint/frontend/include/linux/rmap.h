/* klplint model header <linux/rmap.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RMAP_H
#define _KLPM_LINUX_RMAP_H

#include <linux/mm.h>

struct anon_vma;
extern void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address, int flags);

#endif /* _KLPM_LINUX_RMAP_H */
