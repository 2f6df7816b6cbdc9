/* klplint model header <linux/io.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_IO_H
#define _KLPM_LINUX_IO_H

#include <linux/types.h>
#include <asm/io.h>

extern void *ioremap(phys_addr_t offset, size_t size);
extern void iounmap(volatile void *addr);
extern unsigned int ioread32(const void *addr);
extern void iowrite32(u32 value, void *addr);

#endif /* _KLPM_LINUX_IO_H */
