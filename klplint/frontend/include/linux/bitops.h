/* klplint model header <linux/bitops.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BITOPS_H
#define _KLPM_LINUX_BITOPS_H

#include <linux/compiler.h>
#include <linux/types.h>

#define BITS_PER_LONG           64
#define BITS_PER_BYTE           8
#define BITS_TO_LONGS(nr)       (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

/* Atomic and non-atomic bit operations, as calls. */
extern void set_bit(long nr, volatile unsigned long *addr);
extern void clear_bit(long nr, volatile unsigned long *addr);
extern void change_bit(long nr, volatile unsigned long *addr);
extern bool test_bit(long nr, const volatile unsigned long *addr);
extern bool test_and_set_bit(long nr, volatile unsigned long *addr);
extern bool test_and_clear_bit(long nr, volatile unsigned long *addr);
extern bool test_and_change_bit(long nr, volatile unsigned long *addr);
extern void __set_bit(long nr, volatile unsigned long *addr);
extern void __clear_bit(long nr, volatile unsigned long *addr);
extern unsigned long find_first_bit(const unsigned long *addr, unsigned long size);
extern unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset);
extern unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size);
extern int hweight32(unsigned int w);
extern int hweight64(u64 w);
extern int fls(unsigned int x);
extern int ffs(int x);
extern unsigned long __ffs(unsigned long word);

#endif /* _KLPM_LINUX_BITOPS_H */
