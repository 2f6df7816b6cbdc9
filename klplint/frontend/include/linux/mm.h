/* klplint model header <linux/mm.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MM_H
#define _KLPM_LINUX_MM_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/mm_types.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/err.h>
#include <asm/page.h>

struct mm_struct;
struct vm_area_struct;

extern void get_page(struct page *page);
extern void put_page(struct page *page);
extern int page_count(struct page *page);
extern unsigned long totalram_pages(void);
extern void mmget(struct mm_struct *mm);
extern void mmput(struct mm_struct *mm);
extern void mmap_read_lock(struct mm_struct *mm);
extern void mmap_read_unlock(struct mm_struct *mm);
extern void mmap_write_lock(struct mm_struct *mm);
extern void mmap_write_unlock(struct mm_struct *mm);
extern bool is_vmalloc_or_module_addr(const void *x);

#endif /* _KLPM_LINUX_MM_H */
