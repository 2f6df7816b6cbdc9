/* klplint model header <linux/pagemap.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PAGEMAP_H
#define _KLPM_LINUX_PAGEMAP_H

#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/highmem.h>

struct address_space;
extern struct page *find_get_page(struct address_space *mapping, unsigned long offset);
extern struct page *find_lock_page(struct address_space *mapping, unsigned long index);
extern void unlock_page(struct page *page);
extern void lock_page(struct page *page);
extern int add_to_page_cache_lru(struct page *page, struct address_space *mapping, unsigned long index, gfp_t gfp);

#endif /* _KLPM_LINUX_PAGEMAP_H */
