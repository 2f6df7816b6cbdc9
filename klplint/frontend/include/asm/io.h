/* klplint model header <asm/io.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_IO_H
#define _KLPM_ASM_IO_H

#include <linux/types.h>

extern unsigned char inb(unsigned short port);
extern void outb(unsigned char value, unsigned short port);
extern u32 readl(const volatile void *addr);
extern void writel(u32 value, volatile void *addr);

#endif /* _KLPM_ASM_IO_H */
