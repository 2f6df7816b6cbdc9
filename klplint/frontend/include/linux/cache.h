/* klplint model header <linux/cache.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CACHE_H
#define _KLPM_LINUX_CACHE_H

#include <linux/compiler.h>

#define L1_CACHE_SHIFT          6
#define L1_CACHE_BYTES          (1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES         L1_CACHE_BYTES
#define __read_mostly           __section(".data..read_mostly")
#define ____cacheline_aligned   __aligned(SMP_CACHE_BYTES)
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#define __cacheline_aligned     __aligned(SMP_CACHE_BYTES)
#define __cacheline_aligned_in_smp __cacheline_aligned

#endif /* _KLPM_LINUX_CACHE_H */
