/* klplint model header <linux/gfp.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_GFP_H
#define _KLPM_LINUX_GFP_H

#include <linux/compiler.h>
#include <linux/types.h>
/* the kernel's gfp.h reaches the page size through mmzone.h: slab users rely on it */
#include <asm/page.h>

/*
 * gfp_t (unsigned int) is in <linux/types.h>.  One bit per modifier, with the
 * bit positions the 6.1 kernel uses, so a value read from a real build means
 * the same thing here.  GFP_KERNEL may sleep (direct reclaim); GFP_ATOMIC,
 * GFP_NOWAIT do not.
 */
#define __GFP_DMA               ((gfp_t)0x01u)
#define __GFP_HIGHMEM           ((gfp_t)0x02u)
#define __GFP_DMA32             ((gfp_t)0x04u)
#define __GFP_MOVABLE           ((gfp_t)0x08u)
#define __GFP_RECLAIMABLE       ((gfp_t)0x10u)
#define __GFP_HIGH              ((gfp_t)0x20u)
#define __GFP_IO                ((gfp_t)0x40u)
#define __GFP_FS                ((gfp_t)0x80u)
#define __GFP_ZERO              ((gfp_t)0x100u)
#define __GFP_ATOMIC            ((gfp_t)0x200u)
#define __GFP_DIRECT_RECLAIM    ((gfp_t)0x400u)
#define __GFP_KSWAPD_RECLAIM    ((gfp_t)0x800u)
#define __GFP_WRITE             ((gfp_t)0x1000u)
#define __GFP_NOWARN            ((gfp_t)0x2000u)
#define __GFP_RETRY_MAYFAIL     ((gfp_t)0x4000u)
#define __GFP_NOFAIL            ((gfp_t)0x8000u)
#define __GFP_NORETRY           ((gfp_t)0x10000u)
#define __GFP_MEMALLOC          ((gfp_t)0x20000u)
#define __GFP_COMP              ((gfp_t)0x40000u)
#define __GFP_NOMEMALLOC        ((gfp_t)0x80000u)
#define __GFP_HARDWALL          ((gfp_t)0x100000u)
#define __GFP_THISNODE          ((gfp_t)0x200000u)
#define __GFP_ACCOUNT           ((gfp_t)0x400000u)
#define __GFP_RECLAIM           ((gfp_t)(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM))

#define GFP_ATOMIC              (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL              (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT      (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT              (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO                (__GFP_RECLAIM)
#define GFP_NOFS                (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER                (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA                 __GFP_DMA
#define GFP_DMA32               __GFP_DMA32
#define GFP_HIGHUSER            (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE    (GFP_HIGHUSER | __GFP_MOVABLE)

/* True when the flags allow sleeping in direct reclaim. */
#define gfpflags_allow_blocking(gfp_flags) (!!((gfp_flags) & __GFP_DIRECT_RECLAIM))

/* Page allocation. */
struct page;
extern struct page *alloc_pages(gfp_t gfp, unsigned int order);
extern struct page *alloc_page(gfp_t gfp);
extern void __free_pages(struct page *page, unsigned int order);
extern void __free_page(struct page *page);
extern unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
extern unsigned long __get_free_page(gfp_t gfp);
extern unsigned long get_zeroed_page(gfp_t gfp);
extern void free_pages(unsigned long addr, unsigned int order);
extern void free_page(unsigned long addr);

#endif /* _KLPM_LINUX_GFP_H */
