/* klplint model header <linux/swap.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SWAP_H
#define _KLPM_LINUX_SWAP_H

#include <linux/mm.h>
#include <linux/sysinfo.h>

extern unsigned long totalram_pages(void);
extern long si_mem_available(void);
extern void lru_add_drain(void);
extern int swap_writepage(struct page *page, void *wbc);

#endif /* _KLPM_LINUX_SWAP_H */
