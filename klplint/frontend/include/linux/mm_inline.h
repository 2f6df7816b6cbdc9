/* klplint model header <linux/mm_inline.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MM_INLINE_H
#define _KLPM_LINUX_MM_INLINE_H

#include <linux/mm.h>
#include <linux/swap.h>



#endif /* _KLPM_LINUX_MM_INLINE_H */
