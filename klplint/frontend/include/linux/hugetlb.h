/* klplint model header <linux/hugetlb.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_HUGETLB_H
#define _KLPM_LINUX_HUGETLB_H

#include <linux/mm.h>

struct hstate;
extern bool is_vm_hugetlb_page(struct vm_area_struct *vma);
extern struct hstate *hstate_vma(struct vm_area_struct *vma);

#endif /* _KLPM_LINUX_HUGETLB_H */
