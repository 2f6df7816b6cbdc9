/* klplint model header <linux/bitmap.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BITMAP_H
#define _KLPM_LINUX_BITMAP_H

#include <linux/types.h>
#include <linux/bitops.h>

extern void bitmap_zero(unsigned long *dst, unsigned int nbits);
extern void bitmap_fill(unsigned long *dst, unsigned int nbits);
extern unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags);
extern void bitmap_free(const unsigned long *bitmap);
#define DECLARE_BITMAP(name, bits) unsigned long name[((bits) + 63) / 64]

#endif /* _KLPM_LINUX_BITMAP_H */
