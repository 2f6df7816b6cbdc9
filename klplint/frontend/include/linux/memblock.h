/* klplint model header <linux/memblock.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MEMBLOCK_H
#define _KLPM_LINUX_MEMBLOCK_H

#include <linux/mm.h>

extern phys_addr_t memblock_start_of_DRAM(void);

#endif /* _KLPM_LINUX_MEMBLOCK_H */
