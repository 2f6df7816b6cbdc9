/* klplint model header <linux/vmalloc.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_VMALLOC_H
#define _KLPM_LINUX_VMALLOC_H

#include <linux/compiler.h>
#include <linux/types.h>

/* vmalloc and friends may sleep (they allocate with GFP_KERNEL). */
extern void *vmalloc(unsigned long size) __malloc;
extern void *vzalloc(unsigned long size) __malloc;
extern void *vmalloc_node(unsigned long size, int node) __malloc;
extern void *vzalloc_node(unsigned long size, int node) __malloc;
extern void *vmalloc_user(unsigned long size) __malloc;
extern void *vmalloc_32(unsigned long size) __malloc;
extern void *__vmalloc(unsigned long size, gfp_t gfp_mask) __malloc;
extern void *vmalloc_array(size_t n, size_t size) __malloc;
extern void *vcalloc(size_t n, size_t size) __malloc;
extern void vfree(const void *addr);
extern void vfree_atomic(const void *addr);

struct page;
extern void *vmap(struct page **pages, unsigned int count, unsigned long flags, unsigned long prot);
extern void vunmap(const void *addr);
extern bool is_vmalloc_addr(const void *x);
extern struct page *vmalloc_to_page(const void *addr);

#endif /* _KLPM_LINUX_VMALLOC_H */
