/* klplint model header <linux/mmu_notifier.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MMU_NOTIFIER_H
#define _KLPM_LINUX_MMU_NOTIFIER_H

#include <linux/mm_types.h>

struct mmu_notifier;

#endif /* _KLPM_LINUX_MMU_NOTIFIER_H */
